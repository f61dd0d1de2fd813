// hello: adds `<header>: <value>` (default x-hello: world) to every request, `x-powered-by: meshplug`
// to every response, and counts requests in hello_requests_total.
// Only the callback groups hello implements: Envoy skips a callback a module does not export, so a
// request makes no calls into Wasm for body chunks, on_done or on_log.
export * from "../../sdk/callbacks/core";
export * from "../../sdk/callbacks/http-request";
export * from "../../sdk/callbacks/http-response";
import {
  asciiLower, configObject, Counter, defineCounter, HeadersStatus, headerNameProblem, headerValueProblem, HttpContext,
  logError, registerRoot, requestHeaders, responseHeaders, RootContext, utf8,
} from "../../sdk";

const POWERED_BY = utf8("x-powered-by");
const MESHPLUG = utf8("meshplug");

class HelloRoot extends RootContext {
  name: ArrayBuffer = utf8("x-hello");
  value: ArrayBuffer = utf8("world");
  requests: Counter | null = null;
  stream: HelloStream = new HelloStream(this);

  onConfigure(size: i32): bool {
    const c = configObject(size, ["header", "value"]);
    const name = asciiLower(c.string("header", "x-hello"));
    const value = c.string("value", "world");
    c.check("header", headerNameProblem(name));
    c.check("value", headerValueProblem(value));
    if (c.error !== null) {
      logError("hello: ", c.error!);
      return false;
    }
    this.name = utf8(name); // encoded once: requests only pass these bytes to the host
    this.value = utf8(value);
    this.requests = defineCounter("hello_requests_total");
    return true;
  }

  // hello keeps no per-request state: every stream shares one context object (no allocation per request).
  createHttpContext(id: u32): HttpContext | null { return this.stream; }
}

class HelloStream extends HttpContext {
  constructor(private hello: HelloRoot) { super(); }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    requestHeaders.add(this.hello.name, this.hello.value);
    this.hello.requests!.increment();
    return HeadersStatus.Continue;
  }

  onResponseHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    responseHeaders.add(POWERED_BY, MESHPLUG);
    return HeadersStatus.Continue;
  }
}

registerRoot((id: u32): RootContext => new HelloRoot());
