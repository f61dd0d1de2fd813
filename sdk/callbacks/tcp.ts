// Network (TCP) filter callbacks.
export {
  proxy_on_new_connection, proxy_on_downstream_data, proxy_on_upstream_data, proxy_on_downstream_connection_close,
  proxy_on_upstream_connection_close,
} from "../abi/exports";
