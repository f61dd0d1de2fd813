// End-of-stream callbacks: onDone (a context may ask to stay alive) and onLog (access-log time, all
// request and response data still readable).
export { proxy_on_done, proxy_on_log } from "../abi/exports";
