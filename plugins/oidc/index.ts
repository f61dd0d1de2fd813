// oidc: OpenID Connect login at the gateway (authorization code + PKCE, ID token verification, sealed
// session cookies, refresh and RP-initiated logout). See README.md.
// Only the callbacks the plugin implements are exported: a host (Envoy or ours) skips a callback the module
// does not export and acts exactly as the SDK's defaults would (continue, done, no log), without the
// per-request call into Wasm — response body chunks, on_log and on_done were 4 of 8 calls per request.
export {
  malloc, proxy_abi_version_0_2_1, proxy_on_context_create, proxy_on_vm_start, proxy_on_configure, proxy_validate_configuration,
  proxy_on_delete, proxy_on_request_headers, proxy_on_request_body, proxy_on_request_trailers, proxy_on_response_headers,
  proxy_on_http_call_response,
} from "../../sdk/exports";
import { registerRoot, RootContext } from "../../sdk";
import { OidcRoot } from "./root";

registerRoot((id: u32): RootContext => new OidcRoot());
