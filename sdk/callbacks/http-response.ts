// Response callbacks of an HTTP stream: headers, body chunks, trailers.
export { proxy_on_response_headers, proxy_on_response_body, proxy_on_response_trailers } from "../abi/exports";
