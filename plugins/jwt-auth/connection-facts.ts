// What policies may ask about the connection, read from Envoy properties only when a policy needs them
// (and at most once per request): peer and destination addresses, the peer's certificate identity, SNI.
import { getPropertyInt, getPropertyString, propertyPath } from "../../sdk";
import { ipOfAddress } from "./cidr";

const SOURCE_ADDRESS = propertyPath(["source", "address"]);
const DESTINATION_ADDRESS = propertyPath(["destination", "address"]);
const DESTINATION_PORT = propertyPath(["destination", "port"]);
const URI_SAN = propertyPath(["connection", "uri_san_peer_certificate"]);
const DNS_SAN = propertyPath(["connection", "dns_san_peer_certificate"]);
const SUBJECT = propertyPath(["connection", "subject_peer_certificate"]);
const SNI = propertyPath(["connection", "requested_server_name"]);

export class ConnectionFacts {
  private loaded: bool = false;
  /** Envoy's `source.address`: the downstream remote address. */
  sourceIp: Uint8Array | null = null;
  destinationIp: Uint8Array | null = null;
  destinationPort: i64 = -1;
  /** The peer certificate's identity as Envoy's rbac `authenticated` sees it: URI SAN, else DNS SAN,
   *  else subject; "" without a (TLS) peer certificate. */
  peerPrincipal: string = "";
  sni: string = "";

  load(): ConnectionFacts {
    if (this.loaded) return this;
    this.loaded = true;
    this.sourceIp = ipOfAddress(getPropertyString(SOURCE_ADDRESS));
    this.destinationIp = ipOfAddress(getPropertyString(DESTINATION_ADDRESS));
    const port = getPropertyInt(DESTINATION_PORT);
    if (port.ok) this.destinationPort = port.value;
    let who = getPropertyString(URI_SAN);
    if (who === null || who.length == 0) who = getPropertyString(DNS_SAN);
    if (who === null || who.length == 0) who = getPropertyString(SUBJECT);
    this.peerPrincipal = who === null ? "" : who;
    const sni = getPropertyString(SNI);
    this.sni = sni === null ? "" : sni;
    return this;
  }
}
