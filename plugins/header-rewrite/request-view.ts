// The request as rule matching sees it, read from the host lazily and at most once per request.
import { requestHeaders } from "../../sdk";
import { parsePathQuery, QueryResult } from "../../assembly/encoding/query";
import { QueryOptions } from "../../assembly/encoding/query";

const PATH = String.UTF8.encode(":path");
const METHOD = String.UTF8.encode(":method");

export class RequestView {
  private _path: string | null = null;
  private _method: string | null = null;
  private _query: QueryResult | null = null;

  /** `:path` with its query. */
  get path(): string {
    let p = this._path;
    if (p === null) { p = requestHeaders.get(PATH); if (p === null) p = ""; this._path = p; }
    return p;
  }

  /** The path without `?query` (what Istio's `uri` match compares). */
  get pathOnly(): string {
    const p = this.path;
    const q = p.indexOf("?");
    return q < 0 ? p : p.substring(0, q);
  }

  get method(): string {
    let m = this._method;
    if (m === null) { m = requestHeaders.get(METHOD); if (m === null) m = ""; this._method = m; }
    return m;
  }

  /** First value of `name` (pre-encoded, lower-case). One host call per condition: measured cheaper than fetching all pairs. */
  header(name: ArrayBuffer): string | null { return requestHeaders.get(name); }

  /** Decoded query parameters; a malformed query is read leniently (a bad escape stays literal). */
  query(): QueryResult {
    let q = this._query;
    if (q === null) {
      const o = new QueryOptions();
      o.strict = false;
      q = parsePathQuery(this.path, o);
      this._query = q;
    }
    return q;
  }
}
