// header-rewrite: Istio VirtualService header operations, URI/authority rewrites and CORS, per
// workload, plus Envoy formatters, append actions, rename/copy and query edits. See README.md.
// Only the callback groups the plugin implements (no body, on_done or on_log calls per request).
export * from "../../sdk/callbacks/core";
export * from "../../sdk/callbacks/http-request";
export * from "../../sdk/callbacks/http-response";
import { HttpContext, logError, pluginConfigJson, registerRoot, RootContext } from "../../sdk";
import { Problems } from "./problems";
import { parsePlan, Plan } from "./rules";
import { RewriteStream } from "./stream";

class HeaderRewriteRoot extends RootContext {
  plan: Plan = new Plan();

  onConfigure(size: i32): bool {
    const parsed = pluginConfigJson(size);
    const cfg = parsed.value;
    if (cfg === null) return fail("configuration is not valid JSON: " + parsed.error);
    const p = new Problems();
    const plan = parsePlan(cfg, p);
    if (plan === null || !p.ok) return fail(p.first !== null ? p.first! : "configuration refused");
    // Swap only after the whole new plan compiled: a bad update keeps the previous plan.
    this.plan = plan;
    return true;
  }

  // Each stream keeps its chosen rule and CORS origin between request and response: one context each.
  createHttpContext(id: u32): HttpContext | null { return new RewriteStream(this.plan); }
}

function fail(problem: string): bool {
  logError("header-rewrite: ", problem);
  return false;
}

registerRoot((id: u32): RootContext => new HeaderRewriteRoot());
