// Stands in for the messaging platform's chat widget: it starts an anonymous conversation and, after the login,
// takes the customer's opaque identifier and access token, as a platform SDK's identify() call would.
window.chatWidget = {
  anonymousHandle: sessionStorage.getItem("chat.anonymousHandle") || (() => {
    const handle = "anon-" + crypto.randomUUID();
    sessionStorage.setItem("chat.anonymousHandle", handle);
    return handle;
  })(),
  identified: null,
  identify({ customerId, accessToken }) {
    this.identified = { customerId, accessToken };
    document.getElementById("widget").textContent =
      "customer_id: " + customerId + "\naccess token: " + accessToken.substring(0, 24) + "…";
  },
};
