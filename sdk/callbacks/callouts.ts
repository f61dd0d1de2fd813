// Answers to calls the module made: HTTP callouts, gRPC calls and streams, foreign functions.
export {
  proxy_on_http_call_response, proxy_on_grpc_receive_initial_metadata, proxy_on_grpc_receive,
  proxy_on_grpc_receive_trailing_metadata, proxy_on_grpc_close, proxy_on_foreign_function,
} from "../abi/exports";
