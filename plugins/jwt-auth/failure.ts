// Why a token was refused, with Envoy jwt_authn's exact response bodies, so clients and dashboards that
// match on them keep working when this plugin replaces the native filter.
export enum Failure {
  None = 0,
  BadFormat,
  HeaderBadBase64,
  HeaderBadJson,
  HeaderBadAlg,
  HeaderAlgNotImplemented,
  HeaderBadKid,
  HeaderUnknownCrit,
  PayloadBadBase64,
  PayloadBadJson,
  PayloadBadField,
  SignatureBadBase64,
  UnknownIssuer,
  NotYetValid,
  Expired,
  AudienceNotAllowed,
  KidAlgUnmatch,
  VerificationFails,
  JwksFetchFailed,
  /** Internal: the rule's remote keys must be fetched before the signature can be checked. */
  NeedKeys,
  /** Internal: a rule found no token in its locations (only fails a requirement that needs one). */
  Missing,
}

export function failureBody(f: Failure): string {
  switch (f) {
    case Failure.BadFormat: return "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections";
    case Failure.HeaderBadBase64: return "Jwt header is an invalid Base64url encoded";
    case Failure.HeaderBadJson: return "Jwt header is an invalid JSON";
    case Failure.HeaderBadAlg: return "Jwt header [alg] field is required and must be a string";
    case Failure.HeaderAlgNotImplemented: return "Jwt header [alg] is not supported";
    case Failure.HeaderBadKid: return "Jwt header [kid] field is not a string";
    // Not an Envoy status: Envoy ignores `crit`; RFC 7515 §4.1.11 requires refusing unknown ones.
    case Failure.HeaderUnknownCrit: return "Jwt header [crit] names an unsupported extension";
    case Failure.PayloadBadBase64: return "Jwt payload is an invalid Base64url encoded";
    case Failure.PayloadBadJson: return "Jwt payload is an invalid JSON";
    case Failure.PayloadBadField: return "Jwt payload has a registered claim of the wrong type";
    case Failure.SignatureBadBase64: return "Jwt signature is an invalid Base64url encoded";
    case Failure.UnknownIssuer: return "Jwt issuer is not configured";
    case Failure.NotYetValid: return "Jwt not yet valid";
    case Failure.Expired: return "Jwt is expired";
    case Failure.AudienceNotAllowed: return "Audiences in Jwt are not allowed";
    case Failure.KidAlgUnmatch: return "Jwks doesn't have key to match kid or alg from Jwt";
    case Failure.VerificationFails: return "Jwt verification fails";
    case Failure.JwksFetchFailed: return "Jwks remote fetch is failed";
  }
  return "";
}

/** Envoy answers 403 for an audience mismatch and 401 for every other token failure. */
export function failureStatus(f: Failure): u32 {
  return f == Failure.AudienceNotAllowed ? 403 : 401;
}
