// The request's :path, decoded to a string only when something needs it (a query parameter token, a
// refusal's realm, a policy): a request carrying its token in a header never converts it.
import { PeekedValue, requestHeaders, utf8 } from "../../sdk";
import { LastString } from "./last-string";

const PATH = utf8(":path");
const decoded = new LastString();

export class RequestPath {
  private raw: PeekedValue = new PeekedValue();
  private str: string | null = null;

  /** Reads :path for this callback; its bytes are valid until the callback returns (see keep). */
  load(): void {
    if (!requestHeaders.peek(PATH, this.raw)) this.str = "/";
    else this.str = null;
  }

  /** The path as a string, decoded once. */
  get text(): string {
    let s = this.str;
    if (s === null) {
      s = decoded.of(this.raw.ptr, this.raw.length);
      this.str = s;
    }
    return s;
  }

  /** A stream about to wait past this callback keeps the decoded text: the host bytes go when it returns. */
  keep(): void { this.text; }

  hasQuery(): bool {
    const s = this.str;
    if (s !== null) return s.indexOf("?") >= 0;
    const p = this.raw.ptr;
    for (let i: i32 = 0; i < this.raw.length; i++) if (load<u8>(p + <usize>i) == 0x3F) return true;
    return false;
  }
}
