// Routes every host callback to the plugin's context objects: root contexts are created through
// the factory registered for their root id, streams through their root. Callout responses are
// delivered to the context that issued the call, with the host's effective context set to it.
import { proxy_get_property, proxy_set_effective_context } from "./abi/imports";
import { clearRet, freeHostBlock, ret0, ret1, RET0, RET1 } from "./abi/memory";
import { Context, HttpContext, RootContext, TcpContext } from "./context";
import { ContextTable } from "./context-table";
import { logError } from "./log";

export type RootFactory = (id: u32) => RootContext;

class Registration {
  constructor(public rootId: string, public factory: RootFactory, public next: Registration | null) {}
}

let registrations: Registration | null = null;

function findRegistration(rootId: string): Registration | null {
  let r = registrations;
  while (r !== null && r.rootId != rootId) r = r.next;
  return r;
}
export const contexts = new ContextTable();

/**
 * Registers the root-context factory for a root id ("" = any root id without its own
 * registration). Call at top level of the plugin's index.ts.
 */
export function registerRoot(factory: RootFactory, rootId: string = ""): void {
  const existing = findRegistration(rootId);
  if (existing !== null) existing.factory = factory;
  else registrations = new Registration(rootId, factory, registrations);
}

const ROOT_ID_PROPERTY = String.UTF8.encode("plugin_root_id");

function readRootId(): string {
  clearRet();
  const r = proxy_get_property(changetype<usize>(ROOT_ID_PROPERTY), ROOT_ID_PROPERTY.byteLength, RET0, RET1);
  if (r != 0) return "";
  const p = <usize>ret0();
  const s = String.UTF8.decodeUnsafe(p, ret1());
  freeHostBlock(p);
  return s;
}

/** A root context that rejects its configuration: no factory matched its root id. */
class UnregisteredRoot extends RootContext {
  onVmStart(size: i32): bool {
    logError("meshplug: no root context registered for root id '" + this.rootId + "'");
    return false;
  }
  onConfigure(size: i32): bool { return false; }
}

export function createRoot(id: u32): void {
  // With a single catch-all registration the root id does not matter: skip the host call.
  let rootId = "";
  let reg = registrations;
  if (reg === null || reg.next !== null || reg.rootId != "") {
    rootId = readRootId();
    reg = findRegistration(rootId);
    if (reg === null) reg = findRegistration("");
  }
  const root: RootContext = reg === null ? new UnregisteredRoot() : reg.factory(id);
  root.id = id;
  root.rootId = rootId;
  contexts.set(id, root);
}

// The root of the latest stream: a VM's streams mostly belong to one root, so no table probe per stream.
let lastRootId: u32 = 0;
let lastRoot: RootContext | null = null;

/** Creates the stream context for a new HTTP stream or TCP connection under `rootId`. */
export function createStream(id: u32, rootId: u32): void {
  let root = lastRoot;
  if (rootId != lastRootId || root === null) {
    const parent = contexts.get(rootId);
    if (parent === null || !(parent instanceof RootContext)) return;
    root = changetype<RootContext>(parent);
    lastRootId = rootId;
    lastRoot = root;
  }
  const http = root.createHttpContext(id);
  if (http !== null) {
    http.id = id;
    http.root = root;
    contexts.set(id, http);
    return;
  }
  const tcp = root.createTcpContext(id);
  if (tcp !== null) {
    tcp.id = id;
    tcp.root = root;
    contexts.set(id, tcp);
  }
}

/** Forgets a deleted context. */
export function forgetContext(id: u32): void {
  contexts.delete(id);
  if (id == lastRootId) { lastRootId = 0; lastRoot = null; }
}

// ---- callouts: token -> issuing context ---------------------------------------------------------
// Few calls are outstanding at once, so a short linked list beats any map.
class PendingCall {
  constructor(public token: u32, public owner: u32, public oneShot: bool, public next: PendingCall | null) {}
}
let pendingCalls: PendingCall | null = null;

/** Remembers that `token` (an HTTP call id, gRPC call or stream token) belongs to `owner`. */
export function trackCall(token: u32, owner: u32, oneShot: bool): void {
  pendingCalls = new PendingCall(token, owner, oneShot, pendingCalls);
}

function findCall(token: u32): PendingCall | null {
  let c = pendingCalls;
  while (c !== null && c.token != token) c = c.next;
  return c;
}

export function forgetCall(token: u32): void {
  let prev: PendingCall | null = null;
  let c = pendingCalls;
  while (c !== null && c.token != token) { prev = c; c = c.next; }
  if (c === null) return;
  if (prev === null) pendingCalls = c.next;
  else prev.next = c.next;
}

/**
 * The context that should receive an event for `token`, with the host's effective context switched
 * to it; null when that stream is gone (the event is dropped). Unknown tokens go to the root.
 */
export function ownerOf(rootId: u32, token: u32, finished: bool): Context | null {
  const call = findCall(token);
  let ownerId = rootId;
  if (call !== null) {
    ownerId = call.owner;
    if (finished || call.oneShot) forgetCall(token);
  }
  const owner = contexts.get(ownerId);
  if (owner === null) return null;
  if (ownerId != rootId && proxy_set_effective_context(ownerId) != 0) return null;
  return owner;
}

export function isHttp(c: Context | null): bool { return c !== null && c instanceof HttpContext; }
export function isTcp(c: Context | null): bool { return c !== null && c instanceof TcpContext; }
