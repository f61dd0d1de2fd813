// waf: a SecLang (ModSecurity/Coraza rule language) engine running the OWASP CRS, configured like
// coraza-proxy-wasm. Rules compile once per configuration (onConfigure); each stream only executes them.
export * from "../../sdk/exports";
import { HttpContext, logError, logInfo, pluginConfiguration, registerRoot, RootContext } from "../../sdk";
import { loadConfig, WafConfig } from "./config";
import { WafStream } from "./stream";

class WafRoot extends RootContext {
  config: WafConfig | null = null;

  onConfigure(size: i32): bool {
    const text = size > 0 ? pluginConfiguration.text(0, size) : "";
    const c = loadConfig(text === null ? "" : <string>text);
    if (c.error.length > 0) {
      logError("waf: bad configuration: ", c.error);
      return false;
    }
    this.config = c;
    let rules = 0;
    for (let i = 0; i < c.rulesets.length; i++) rules += c.rulesets[i].ruleCount;
    // No timing in the line: it must read the same in every host (the load time is measured by the bench).
    logInfo("waf: loaded " + rules.toString() + " rules in " + c.rulesets.length.toString() + " directive set(s)");
    return true;
  }

  createHttpContext(id: u32): HttpContext | null {
    const c = this.config;
    return c === null ? null : new WafStream(c);
  }
}

registerRoot((id: u32): RootContext => new WafRoot());
