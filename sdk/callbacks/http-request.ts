// Request callbacks of an HTTP stream: headers, body chunks, trailers.
export { proxy_on_request_headers, proxy_on_request_body, proxy_on_request_trailers } from "../abi/exports";
