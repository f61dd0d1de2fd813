// Typed calls to host extension ("foreign") functions. Envoy's `verify_signature` (source/extensions/common/
// wasm/foreign.cc) checks a signature with the proxy's BoringSSL: arguments are a serialized
// `VerifySignatureArguments {string hash_function = 1; bytes public_key = 2; bytes signature = 3;
// bytes text = 4; string public_key_pem = 5}`, the answer a `VerifySignatureResult {bool result = 1;
// string error = 2}`. The key is a DER SubjectPublicKeyInfo (or PEM in field 5, never both); the hash is
// "sha1", "sha224", "sha256", "sha384" or "sha512" (any case). BoringSSL's EVP_DigestVerify decides the
// scheme from the key: RSA keys verify PKCS#1 v1.5, EC keys ECDSA with a DER signature.
import { proxy_call_foreign_function } from "./abi/imports";
import { clearRet, freeHostBlock, ret0, ret1, RET0, RET1 } from "./abi/memory";
import { WasmResult } from "./abi/enums";
import { ProtoReader, ProtoWriter } from "./protobuf";
import { setLastResult } from "./result";

export { ProtoReader, ProtoWriter };

/** What the host said about a signature. */
export enum SignatureCheck {
  /** The host verified it. */
  Verified = 0,
  /** The host checked it and it does not verify (`lastSignatureError()` says why). */
  Refused = 1,
  /** The host could not check it: no such function (NotFound), a key it cannot import (BadArgument), or
   * an answer we cannot read. `lastResult()` has the host's status. The caller decides what to do. */
  Unavailable = 2,
}

// @ts-ignore: decorator
@lazy const VERIFY_SIGNATURE = String.UTF8.encode("verify_signature");
let lastError: string = "";

/** Envoy's error text for the latest Refused answer ("Failed to verify digest. Error code: 0", ...). */
export function lastSignatureError(): string { return lastError; }

/** The serialized VerifySignatureArguments (DER key in field 2). Exposed for tests and other hosts. */
export function verifySignatureArguments(hash: string, publicKeyDer: Uint8Array, signature: Uint8Array, text: Uint8Array): Uint8Array {
  return new ProtoWriter().string(1, hash).bytes(2, publicKeyDer).bytes(3, signature).bytes(4, text).finish();
}

/** Checks `signature` over `text` with the host's crypto: see SignatureCheck. */
export function verifySignature(hash: string, publicKeyDer: Uint8Array, signature: Uint8Array, text: Uint8Array): SignatureCheck {
  const args = verifySignatureArguments(hash, publicKeyDer, signature, text);
  const name = VERIFY_SIGNATURE;
  clearRet();
  const r = setLastResult(proxy_call_foreign_function(
    changetype<usize>(name), <usize>name.byteLength, args.dataStart, <usize>args.length, RET0, RET1));
  if (r != WasmResult.Ok) return SignatureCheck.Unavailable;
  const p = <usize>ret0();
  const outcome = readVerifySignatureResult(p, <i32>ret1());
  freeHostBlock(p); // read at once: no need to keep the block until the callback ends
  return outcome;
}

function readVerifySignatureResult(p: usize, n: i32): SignatureCheck {
  let ok = false;
  let errPtr: usize = 0;
  let errLen = 0;
  const r = new ProtoReader(p, n);
  while (r.next()) {
    if (r.field == 1 && r.wireType == 0) ok = r.varintValue != 0;
    else if (r.field == 2 && r.wireType == 2) { errPtr = r.valuePtr; errLen = r.valueLen; }
  }
  if (r.malformed) {
    setLastResult(WasmResult.SerializationFailure);
    return SignatureCheck.Unavailable;
  }
  if (ok) return SignatureCheck.Verified;
  lastError = errLen > 0 ? String.UTF8.decodeUnsafe(errPtr, <usize>errLen) : "";
  return SignatureCheck.Refused;
}
