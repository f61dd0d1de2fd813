// Root-context events: the tick timer and shared-queue notifications.
export { proxy_on_tick, proxy_on_queue_ready } from "../abi/exports";
