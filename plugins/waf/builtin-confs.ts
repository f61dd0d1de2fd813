// The two base configurations coraza-proxy-wasm ships under these names, written for meshplug from the
// documented meaning of each directive (ModSecurity's recommended settings; a small demo rule set).

export const BUILTIN_NAMES: string[] = ["@recommended-conf", "@demo-conf"];

// Recommended base: detection only until the operator opts into blocking, request bodies inspected with
// ModSecurity's recommended limits, response bodies for text types, and the body-parsing failure rules.
const RECOMMENDED = `SecRuleEngine DetectionOnly
SecRequestBodyAccess On
SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" \\
     "id:'200000',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "^application/json" \\
     "id:'200001',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRequestBodyLimit 13107200
SecRequestBodyInMemoryLimit 131072
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction Reject
SecRule REQBODY_ERROR "!@eq 0" \\
    "id:'200002', phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" \\
    "id:'200003',phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation'"
SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" \\
    "id:'200004',phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html text/xml
SecResponseBodyLimit 524288
SecResponseBodyLimitAction ProcessPartial
SecAuditEngine RelevantOnly
SecAuditLogParts ABIJDEFHZ
SecArgumentSeparator &
`;

// Demo: blocks obvious probes so a fresh install can be tried with curl.
const DEMO = `SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html text/xml application/json
SecRule REQUEST_URI "@streq /admin" "id:101,phase:1,t:lowercase,log,deny,msg:'demo: /admin is closed'"
SecRule REQUEST_BODY "@rx maliciouspayload" "id:102,phase:2,t:lowercase,log,deny,msg:'demo: malicious payload in the body'"
SecRule RESPONSE_HEADERS::status "@rx 406" "id:103,phase:3,t:lowercase,log,deny,msg:'demo: upstream answered 406'"
SecRule RESPONSE_BODY "@contains responsebodycode" "id:104,phase:4,t:lowercase,log,deny,msg:'demo: leak in the response body'"
`;

export function builtinFile(name: string): string | null {
  if (name == "@recommended-conf") return RECOMMENDED;
  if (name == "@demo-conf") return DEMO;
  return null;
}
