// oidc: OpenID Connect login at the gateway (authorization code + PKCE, ID token verification, sealed
// session cookies, refresh and RP-initiated logout). See README.md.
export * from "../../sdk/exports";
import { registerRoot, RootContext } from "../../sdk";
import { OidcRoot } from "./root";

registerRoot((id: u32): RootContext => new OidcRoot());
