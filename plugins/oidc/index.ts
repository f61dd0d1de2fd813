// oidc: OpenID Connect login at the gateway (authorization code + PKCE, ID token verification, sealed
// session cookies, refresh and RP-initiated logout). See README.md.
// Only the callback groups the plugin implements: a host (Envoy or ours) skips a callback the module does
// not export and acts as the SDK's defaults would (continue, done, no log), without a call into Wasm —
// response body chunks, on_done and on_log were 4 of 8 calls per request.
export * from "../../sdk/callbacks/core";
export * from "../../sdk/callbacks/http-request";
export * from "../../sdk/callbacks/http-response";
export * from "../../sdk/callbacks/callouts";
import { registerRoot, RootContext } from "../../sdk";
import { OidcRoot } from "./root";

registerRoot((id: u32): RootContext => new OidcRoot());
