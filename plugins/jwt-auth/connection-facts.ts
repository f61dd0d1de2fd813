// What policies may ask about the connection, read from Envoy properties only when a policy needs them
// and at most once per request, each group on its own: a policy on ports does not pay for the peer
// certificate's three property reads.
import { getPropertyInt, getPropertyString, propertyPath } from "../../sdk";
import { ipOfAddress } from "./cidr";

const SOURCE_ADDRESS = propertyPath(["source", "address"]);
const DESTINATION_ADDRESS = propertyPath(["destination", "address"]);
const DESTINATION_PORT = propertyPath(["destination", "port"]);
const URI_SAN = propertyPath(["connection", "uri_san_peer_certificate"]);
const DNS_SAN = propertyPath(["connection", "dns_san_peer_certificate"]);
const SUBJECT = propertyPath(["connection", "subject_peer_certificate"]);
const SNI = propertyPath(["connection", "requested_server_name"]);

const SOURCE: i32 = 1;
const DESTINATION: i32 = 2;
const PORT: i32 = 4;
const PEER: i32 = 8;
const NAME: i32 = 16;

export class ConnectionFacts {
  private loaded: i32 = 0;
  private sourceIpValue: Uint8Array | null = null;
  private destinationIpValue: Uint8Array | null = null;
  private destinationPortValue: i64 = -1;
  private peerPrincipalValue: string = "";
  private sniValue: string = "";

  /** Forgets the previous request's facts (one object serves every request of a stream context). */
  reset(): void {
    this.loaded = 0;
    this.sourceIpValue = null;
    this.destinationIpValue = null;
    this.destinationPortValue = -1;
    this.peerPrincipalValue = "";
    this.sniValue = "";
  }

  /** First use of a group: true exactly once per request. */
  private first(group: i32): bool {
    if ((this.loaded & group) != 0) return false;
    this.loaded |= group;
    return true;
  }

  /** Envoy's `source.address`: the downstream remote address. */
  get sourceIp(): Uint8Array | null {
    if (this.first(SOURCE)) this.sourceIpValue = ipOfAddress(getPropertyString(SOURCE_ADDRESS));
    return this.sourceIpValue;
  }

  get destinationIp(): Uint8Array | null {
    if (this.first(DESTINATION)) this.destinationIpValue = ipOfAddress(getPropertyString(DESTINATION_ADDRESS));
    return this.destinationIpValue;
  }

  /** -1 when unknown. */
  get destinationPort(): i64 {
    if (this.first(PORT)) {
      const port = getPropertyInt(DESTINATION_PORT);
      if (port.ok) this.destinationPortValue = port.value;
    }
    return this.destinationPortValue;
  }

  /** The peer certificate's identity as Envoy's rbac `authenticated` sees it: URI SAN, else DNS SAN,
   *  else subject; "" without a (TLS) peer certificate. */
  get peerPrincipal(): string {
    if (this.first(PEER)) {
      let who = getPropertyString(URI_SAN);
      if (who === null || who.length == 0) who = getPropertyString(DNS_SAN);
      if (who === null || who.length == 0) who = getPropertyString(SUBJECT);
      this.peerPrincipalValue = who === null ? "" : who;
    }
    return this.peerPrincipalValue;
  }

  get sni(): string {
    if (this.first(NAME)) {
      const sni = getPropertyString(SNI);
      this.sniValue = sni === null ? "" : sni;
    }
    return this.sniValue;
  }
}
