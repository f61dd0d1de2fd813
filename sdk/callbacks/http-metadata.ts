// Metadata callbacks of an HTTP stream (Envoy never calls them over the Proxy-Wasm ABI 0.2.1 today).
export { proxy_on_request_metadata, proxy_on_response_metadata } from "../abi/exports";
