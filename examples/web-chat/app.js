// The hand-off from Keycloak to the chat: log in on the web-chat client (authorization code + PKCE, public client),
// then give the widget the customer_id claim and the access token. Nothing else about the customer is passed on.
const params = new URLSearchParams(location.search);
const issuer = params.get("issuer") || sessionStorage.getItem("chat.issuer") || "http://localhost:8080/realms/customers";
sessionStorage.setItem("chat.issuer", issuer);

const userManager = new oidc.UserManager({
  authority: issuer,
  client_id: "web-chat",
  redirect_uri: location.origin + location.pathname,
  response_type: "code",
  scope: "openid",
  userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
});

async function handOff(user) {
  // customer_id is in the ID token (profile) and in the access token; the widget gets the opaque id only.
  const customerId = user.profile.customer_id;
  document.getElementById("status").textContent = customerId ? "Logged in." : "Logged in, without a customer id.";
  document.getElementById("login").hidden = true;
  window.chatWidget.identify({ customerId, accessToken: user.access_token });
}

document.getElementById("login").addEventListener("click", () =>
  // The anonymous conversation goes along: the CODE_TO_TOKEN webhook tells the platform which one this customer had.
  userManager.signinRedirect({ extraQueryParams: { conversation_handle: window.chatWidget.anonymousHandle } }));

(async () => {
  if (params.has("code") && params.has("state")) {
    const user = await userManager.signinRedirectCallback();
    history.replaceState(null, "", location.pathname);
    await handOff(user);
  } else {
    const user = await userManager.getUser();
    if (user && !user.expired) {
      await handOff(user);
    }
  }
})().catch((error) => {
  document.getElementById("status").textContent = "Login failed: " + error.message;
  window.chatWidget.error = error.message;
});
