// telemetry-tags: classifies each request into tags (from headers, path, query, method, response
// code, Envoy properties, or first-match rules) with a cardinality cap, and emits them as tagged
// Envoy metrics, filter state wasm.<tag>, request/response headers and a log line. See README.md.
// Only the callback groups the plugin implements (tags are written at log time).
export * from "../../sdk/callbacks/core";
export * from "../../sdk/callbacks/http-request";
export * from "../../sdk/callbacks/http-response";
export * from "../../sdk/callbacks/stream-end";
import { HttpContext, RootContext, logError, pluginConfigJson, registerRoot } from "../../sdk";
import { parseConfig } from "./config";
import { Plan } from "./plan";
import { TagStream } from "./stream";

class TagsRoot extends RootContext {
  plan: Plan | null = null;

  onConfigure(size: i32): bool {
    const r = parseConfig(pluginConfigJson(size));
    if (r.plan === null) {
      logError("telemetry-tags: ", r.error);
      return false;
    }
    this.plan = r.plan;
    return true;
  }

  createHttpContext(id: u32): HttpContext | null {
    const plan = this.plan;
    return plan === null ? null : new TagStream(plan);
  }
}

registerRoot((id: u32): RootContext => new TagsRoot());
