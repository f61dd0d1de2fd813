// One provider document fetch (discovery or the JWKS) in flight per VM. The first stream that needs the
// document calls out; streams that need it meanwhile wait in line and are resumed from the caller's
// callback when the answer arrives — good or bad, so a failure answers every one of them 503.
import { proxy_set_effective_context } from "../../sdk/abi/imports";
import { OidcStream } from "./stream";

export class SharedFetch {
  /** The stream whose callout is in flight; null when none is. */
  leader: OidcStream | null = null;
  waiting: Array<OidcStream> = new Array<OidcStream>();

  /** Ends the fetch and hands back the line. */
  drain(): Array<OidcStream> {
    const line = this.waiting;
    this.waiting = new Array<OidcStream>();
    this.leader = null;
    return line;
  }

  /** The fetch answered (`failure` empty on success): every waiter still alive continues under its own context. */
  answerAll(line: Array<OidcStream>, failure: string): void {
    for (let i = 0; i < line.length; i++) {
      const w = line[i];
      // A waiter whose stream has ended meanwhile is skipped (the host no longer knows its id).
      if (proxy_set_effective_context(w.id) != 0) continue;
      w.resumeShared(failure);
    }
  }

  /**
   * The leader's stream ended before the answer, and its callout with it: the first waiter still alive
   * calls out again and the others wait for it; if it needs no fetch after all, the next one is tried.
   */
  leaderGone(): void {
    let line = this.drain();
    while (line.length > 0) {
      const w = line.shift();
      if (proxy_set_effective_context(w.id) != 0) continue;
      this.waiting = line;
      w.retryShared();
      if (this.leader !== null) return;
      line = this.drain();
    }
  }
}
