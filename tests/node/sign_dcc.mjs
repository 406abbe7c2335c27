// Signs a verifiable credential as a compact vc+jwt with the `jose` npm package: an implementation independent of
// the registry's (joserfc), for tests/credentials/test_jose.py. Reads {"credential", "jwk", "kid", "alg"} as JSON
// on stdin and prints the compact JWS.
import { CompactSign, importJWK } from "jose";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { credential, jwk, kid, alg } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const key = await importJWK(jwk, alg);
const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
  .setProtectedHeader({ alg, kid, typ: "vc+jwt", cty: "vc" })
  .sign(key);
process.stdout.write(jws);
