// Shapes shared by the jwt-auth oracle's corpus, its three runners and the comparison.
import type { JwtAuthConfig } from './jwt-oracle-istio.ts';
import type { TlsMaterial } from './jwt-oracle-tls.ts';

export type HeaderList = [string, string][];

export interface OracleRequest {
  name: string;
  method: string;
  path: string;
  /** Includes `host` (→ :authority). */
  headers: HeaderList;
  /** Only our host can set the peer (Envoy's peer is always 127.0.0.1 over plain TCP): its address, and a
   *  TLS peer certificate's URI SAN and the SNI. */
  peer?: { address?: string; uriSan?: string; dnsSan?: string; sni?: string; tls?: boolean };
  /** For a configuration with `tls`: the client certificate to present (a CLIENTS name) and the SNI. */
  tls?: { client?: string; sni?: string };
  /**
   * A documented deliberate difference (README "Deliberate differences"): our plugin (in Envoy and in our
   * host) must give `ours`, and the native filters are expected to answer otherwise.
   */
  deliberate?: { why: string; ours: { status: number; body: string } };
  /** Our host (not the plugin) is known to differ from Envoy here: only the status is compared with it. */
  hostKnown?: string;
}

export interface OracleConfig {
  name: string;
  config: JwtAuthConfig;
  requests: OracleRequest[];
  /** Fixed listener ports (for policies on destination ports); our host uses the wasm side's port. */
  listenPorts?: { native: number; wasm: number };
  /** The listener speaks TLS with these certificates (client certificates optional). */
  tls?: TlsMaterial;
}

/** What one request produced in one of the three runs. */
export interface Seen {
  status: number;
  headers: HeaderList;
  body: string;
  upstream: null | { method: string; path: string; headers: HeaderList; body: string };
}
