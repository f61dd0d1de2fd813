// What the XML and multipart processors hand to the WAF engine. Plain data: the engine maps each
// field onto the SecLang collection named in its comment.
import { Bytes, PairList } from "../types";

/** `XML:/*` and `XML://@*` (Coraza's reading: every non-blank text run, every attribute value). */
export class XmlResult {
  /** XML:/* — each text run between tags, trimmed, blank runs dropped; CDATA runs too. */
  texts: Array<Bytes> = new Array<Bytes>();
  /** XML://@* — every attribute value, entities resolved, in document order. */
  attrs: Array<Bytes> = new Array<Bytes>();
  /** Limits (0 = none): deepest element nesting, and the number of texts + attributes kept. */
  maxDepth: i32 = 256;
  maxItems: i32 = 0;

  clear(): void {
    this.texts.length = 0;
    this.attrs.length = 0;
  }
}

/**
 * Everything a multipart/form-data body yields. Collections are keyed by the part's field name
 * (`FILES:upload`, `FILES_SIZES:upload`, `MULTIPART_PART_HEADERS:_charset_`), as ModSecurity v2 keys
 * them; the CRS reads FILES and FILES_NAMES without a key, and counts MULTIPART_PART_HEADERS:_charset_.
 * Flags are ModSecurity's MULTIPART_* variables (0 or 1); `strictError` is their OR, as
 * MULTIPART_STRICT_ERROR is.
 */
export class MultipartResult {
  /** ARGS_POST: non-file parts, name → content. */
  args: PairList = new PairList();
  /** FILES: field name → file name (from `filename*` when present and well-formed). */
  files: PairList = new PairList();
  /** FILES_NAMES: field name → field name, one per file part. */
  filesNames: PairList = new PairList();
  /** FILES_SIZES: field name → content size in decimal. */
  filesSizes: PairList = new PairList();
  /** FILES_COMBINED_SIZE: sum of the file parts' sizes. */
  filesCombinedSize: i64 = 0;
  /** MULTIPART_PART_HEADERS: field name → each header line of that part (`Name: value`, name as sent). */
  partHeaders: PairList = new PairList();
  /** MULTIPART_NAME: field name → field name, every part. */
  names: PairList = new PairList();
  /** MULTIPART_FILENAME: field name → file name, every part with a file name. */
  filenames: PairList = new PairList();

  // The MULTIPART_* flags (ModSecurity v2/v3 semantics).
  strictError: i32 = 0; // MULTIPART_STRICT_ERROR: OR of the flags below and of any parse error
  unmatchedBoundary: i32 = 0; // MULTIPART_UNMATCHED_BOUNDARY
  boundaryQuoted: i32 = 0; // MULTIPART_BOUNDARY_QUOTED
  boundaryWhitespace: i32 = 0; // MULTIPART_BOUNDARY_WHITESPACE
  dataBefore: i32 = 0; // MULTIPART_DATA_BEFORE
  dataAfter: i32 = 0; // MULTIPART_DATA_AFTER
  headerFolding: i32 = 0; // MULTIPART_HEADER_FOLDING
  lfLine: i32 = 0; // MULTIPART_LF_LINE
  crlfLfLines: i32 = 0; // MULTIPART_CRLF_LF_LINES (both line endings used)
  missingSemicolon: i32 = 0; // MULTIPART_MISSING_SEMICOLON
  invalidQuoting: i32 = 0; // MULTIPART_INVALID_QUOTING
  invalidPart: i32 = 0; // MULTIPART_INVALID_PART
  invalidHeaderFolding: i32 = 0; // MULTIPART_INVALID_HEADER_FOLDING
  fileLimitExceeded: i32 = 0; // MULTIPART_FILE_LIMIT_EXCEEDED
  duplicatePartHeader: i32 = 0; // MULTIPART_DUPLICATE_PART_HEADER (Coraza)

  /** SecUploadFileLimit: file parts beyond this are not recorded and set fileLimitExceeded (0 = none). */
  fileLimit: i32 = 100;
  /** SecArgumentsLimit-like cap on ARGS_POST entries (0 = none); `argsTruncated` says it was hit. */
  argLimit: i32 = 0;
  argsTruncated: bool = false;

  clear(): void {
    this.args.clear();
    this.files.clear();
    this.filesNames.clear();
    this.filesSizes.clear();
    this.filesCombinedSize = 0;
    this.partHeaders.clear();
    this.names.clear();
    this.filenames.clear();
    this.strictError = 0;
    this.unmatchedBoundary = 0;
    this.boundaryQuoted = 0;
    this.boundaryWhitespace = 0;
    this.dataBefore = 0;
    this.dataAfter = 0;
    this.headerFolding = 0;
    this.lfLine = 0;
    this.crlfLfLines = 0;
    this.missingSemicolon = 0;
    this.invalidQuoting = 0;
    this.invalidPart = 0;
    this.invalidHeaderFolding = 0;
    this.fileLimitExceeded = 0;
    this.duplicatePartHeader = 0;
    this.argsTruncated = false;
  }
}
