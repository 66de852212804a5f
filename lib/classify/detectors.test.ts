import { describe, expect, it } from "vitest";
import { luhnValid } from "./checksums";
import type { DetectorName } from "./detector-types";
import { DETECTORS, detectorNames, findAll, isSensitiveFieldName, SECRET_DETECTORS } from "./detectors";

const b64url = (s: string) => Buffer.from(s).toString("base64url");
const jwt = (header: object, payload: object, signature = "c2lnbmF0dXJlLWJ5dGVzLWhlcmU") => `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${signature}`;
const JWT = jwt({ alg: "HS256", typ: "JWT" }, { sub: "user-1", iat: 1732701234 });
// Provider keys are assembled at run time so that secret scanners do not flag this file.
const KEYS = {
  aws: "AKIA" + "IOSFODNN7EXAMPLE",
  awsSession: "ASIA" + "Y34FZKBOKMUTVV7A",
  github: "ghp_" + "A1b2C3d4E5f6".repeat(3),
  githubOauth: "gho_" + "Z9y8X7w6V5u4".repeat(3),
  githubPat: "github_pat_" + "11ABCDEFG0123456789abc" + "_" + "x".repeat(59),
  stripe: "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
  stripeTest: "sk_test_" + "51H8abcdEFGH1234ijkl",
  stripeRestricted: "rk_live_" + "51H8abcdEFGH1234ijklMNOP",
  slack: "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  openai: "sk-" + "abcdefghijklmnopqrst" + "T3BlbkFJ" + "uvwxyz0123456789ABCD",
  openaiProject: "sk-proj-" + "Ab3_dE6-gH9iJ2kL5mN8oP1qR4sT7uV0wX3yZ6",
  anthropic: "sk-ant-api03-" + "Xy7_Kp2-".repeat(11) + "AbCdE" + "AA",
  google: "AIza" + "SyD-1234567890abcdefghijklmnopqrstu",
  twilio: "SK" + "0123456789abcdef0123456789abcdef",
  sendgrid: "SG." + "abcdefghijklmnopqrstuv" + "." + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg",
  npm: "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
  clearlog: "clk_" + "0123abcd" + "_" + "Ab9-_".repeat(8) + "xyz",
};
const PEM_BODY = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\nZ1BjP5CE/Wm/Rr500PRK+Lh9x5eJPo5CAZ3/ANBE0sTK0\n";

/** The matched substrings of one detector. */
const hits = (name: DetectorName, text: string) => DETECTORS[name].find(text).map((m) => text.slice(m.start, m.end));
/** The matches of all detectors, as `detector: substring`. */
const all = (text: string) => findAll(text).map((m) => `${m.detector}: ${text.slice(m.start, m.end)}`);

describe("detector registry", () => {
  it("declares marker, category, level and secrecy for every detector", () => {
    expect(detectorNames()).toHaveLength(12);
    const table = Object.fromEntries(detectorNames().map((n) => [n, [DETECTORS[n].marker, DETECTORS[n].category, DETECTORS[n].level, DETECTORS[n].secret]]));
    expect(table).toEqual({
      email: ["[EMAIL]", "user.contact.email", "confidential", false],
      phone: ["[PHONE]", "user.contact.phone", "confidential", false],
      payment_card: ["[CARD]", "user.financial.card", "restricted", false],
      iban: ["[IBAN]", "user.financial.bank_account", "confidential", false],
      ip_address: ["[IP]", "user.device.ip_address", "internal", false],
      us_ssn: ["[SSN]", "user.government_id", "restricted", false],
      jwt: ["[JWT]", "system.credentials", "restricted", true],
      bearer_token: ["[TOKEN]", "system.credentials", "restricted", true],
      private_key: ["[PRIVATE_KEY]", "system.credentials", "restricted", true],
      provider_api_key: ["[API_KEY]", "system.credentials", "restricted", true],
      labelled_secret: ["[SECRET]", "system.credentials", "restricted", true],
      unlabelled_secret: ["[SECRET]", "system.credentials", "restricted", true],
    });
    for (const n of detectorNames()) expect(DETECTORS[n].name).toBe(n);
    expect([...SECRET_DETECTORS].sort()).toEqual(["bearer_token", "jwt", "labelled_secret", "private_key", "provider_api_key", "unlabelled_secret"]);
  });
});

describe("true positives with exact spans", () => {
  const cases: [DetectorName, string, string[]][] = [
    ["email", "Contact alice.smith+tag@example.co.uk for access.", ["alice.smith+tag@example.co.uk"]],
    ["email", '{"user":{"email":"Bob_O-Reilly@mail.example.org","name":"Bob"}}', ["Bob_O-Reilly@mail.example.org"]],
    ["email", "2026-11-27T12:30:45Z INFO login ok user=carol@example.com ip=10.0.0.1", ["carol@example.com"]],
    ["email", "From: Dave <dave@example.io>, cc erin@sub.example.museum.", ["dave@example.io", "erin@sub.example.museum"]],
    ["email", "GET /invite?to=frank%40example.com&lang=en mailto:grace@example.com", ["frank%40example.com", "grace@example.com"]],
    ["email", "écrire à josé@exämple.fr", ["josé@exämple.fr"]],
    ["phone", "call +1 415 555 0132 or (415) 555-0132 today", ["+1 415 555 0132", "(415) 555-0132"]],
    ["phone", '{"phone":"+44 20 7946 0958","mobile":"06 12 34 56 78"}', ["+44 20 7946 0958", "06 12 34 56 78"]],
    ["phone", "sms to +14155550132, fax 415.555.0132, tel:1-800-555-0199", ["+14155550132", "415.555.0132", "1-800-555-0199"]],
    ["phone", "Berlin +49 30 1234567, London +44 (0)20 7946 0958, 020 7946 0958", ["+49 30 1234567", "+44 (0)20 7946 0958", "020 7946 0958"]],
    ["phone", "Paris: +33 6 12 34 56 78; NYC +1 (212) 555-0147.", ["+33 6 12 34 56 78", "+1 (212) 555-0147"]],
    ["phone", "UK (020) 7946 0958 or 0044 20 7946 0958", ["(020) 7946 0958", "0044 20 7946 0958"]],
    ["phone", "order +1 415 555 0132 12345 items", ["+1 415 555 0132"]],
    ["payment_card", "Visa 4111 1111 1111 1111 exp 12/27", ["4111 1111 1111 1111"]],
    ["payment_card", '{"card":"5555555555554444","amex":"3782 822463 10005"}', ["5555555555554444", "3782 822463 10005"]],
    ["payment_card", "cards 4012-8888-8888-1881, 6011111111111117; 3530111333300000 and 2223003122003222.", ["4012-8888-8888-1881", "6011111111111117", "3530111333300000", "2223003122003222"]],
    ["payment_card", "paid with 4111 1111 1111 1111 2.5% fee", ["4111 1111 1111 1111"]],
    ["iban", "Pay to DE89 3704 0044 0532 0130 00 EUR", ["DE89 3704 0044 0532 0130 00"]],
    ["iban", '{"iban":"GB82WEST12345698765432","alt":"FR1420041010050500013M02606"}', ["GB82WEST12345698765432", "FR1420041010050500013M02606"]],
    ["iban", "nl: NL91ABNA0417164300, ch: CH93 0076 2011 6238 5295 7, no: NO9386011117947, lower gb82west12345698765432", ["NL91ABNA0417164300", "CH93 0076 2011 6238 5295 7", "NO9386011117947", "gb82west12345698765432"]],
    ["ip_address", "client 203.0.113.42 connected via 10.0.0.1:8080", ["203.0.113.42", "10.0.0.1"]],
    ["ip_address", "X-Forwarded-For: 198.51.100.7, 2001:db8:85a3::8a2e:370:7334", ["198.51.100.7", "2001:db8:85a3::8a2e:370:7334"]],
    ["ip_address", "listen [::1]:3000 and [2001:db8::1]:443 url http://192.168.0.1/admin", ["::1", "2001:db8::1", "192.168.0.1"]],
    ["ip_address", "full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 link fe80::1 mapped ::ffff:192.0.2.128.", ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1", "::ffff:192.0.2.128"]],
    ["ip_address", "host:2001:db8::42: connection refused", ["2001:db8::42"]],
    ["us_ssn", "SSN: 123-45-6789.", ["123-45-6789"]],
    ["us_ssn", '{"ssn":"078-05-1120","note":"ssn-536-22-1234"}', ["078-05-1120", "536-22-1234"]],
    ["jwt", `{"id_token":"${JWT}"}`, [JWT]],
    ["jwt", `cookie: session=${JWT}; Path=/`, [JWT]],
    ["bearer_token", "Authorization: Bearer abc123def456ghi789", ["abc123def456ghi789"]],
    ["bearer_token", "authorization: basic dXNlcjpodW50ZXIy\nProxy-Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l", ["dXNlcjpodW50ZXIy", "YWxhZGRpbjpvcGVuc2VzYW1l"]],
    ["bearer_token", '{"headers":{"Authorization":"Token 9f8e7d6c5b4a3210"}}', ["9f8e7d6c5b4a3210"]],
    ["bearer_token", "GET /cb?Authorization=Bearer%20abc123def456&x=1", ["abc123def456"]],
    ["bearer_token", '{"authorization":"Digest username=\\"bob\\", response=\\"6629fae4\\"","x":1}', ['username=\\"bob\\", response=\\"6629fae4\\"']],
    ["provider_api_key", `AWS_ACCESS_KEY_ID=${KEYS.aws} aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`, [KEYS.aws, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]],
    ["provider_api_key", `{"SecretAccessKey":"${"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}","AccessKeyId":"${KEYS.awsSession}"}`, ["je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", KEYS.awsSession]],
  ];
  it.each(cases)("%s in %j", (name, text, expected) => {
    expect(hits(name, text)).toEqual(expected);
  });

  it("reads a run of space-separated digit groups as the earliest, then longest, Luhn-valid card", () => {
    // Counterexample of the card property in detectors.property.test.ts (planted 16-digit JCB, then a
    // space separator and noise starting with 019): the 19-digit 4-4-4-4-3 reading is valid too, and wins.
    expect(luhnValid("3562503407847133") && luhnValid("3562503407847133019")).toBe(true);
    expect(hits("payment_card", " 3562 5034 0784 7133 019")).toEqual(["3562 5034 0784 7133 019"]);
    expect(hits("payment_card", " 3562 5034 0784 7133 018")).toEqual(["3562 5034 0784 7133"]);
    // A four-digit group before a grouped card can start a valid card of its own.
    expect(hits("payment_card", "4008 4111 1111 1111 1111")).toEqual(["4008 4111 1111 1111"]);
    expect(hits("payment_card", "4009 4111 1111 1111 1111")).toEqual(["4111 1111 1111 1111"]);
  });

  it("finds every provider key shape as a whole token", () => {
    for (const [provider, key] of Object.entries(KEYS)) {
      for (const text of [`key=${key}`, `"${key}"`, `export TOKEN='${key}'\n`, `Authorization: Bearer ${key}`]) {
        expect(hits("provider_api_key", text), `${provider} in ${text}`).toEqual([key]);
      }
    }
  });

  it("finds PEM private keys of every kind, with or without their END line", () => {
    for (const label of ["RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK"]) {
      const block = `-----BEGIN ${label}-----\n${PEM_BODY}-----END ${label}-----`;
      expect(hits("private_key", `key:\n${block}\nafter`)).toEqual([block]);
      expect(hits("private_key", JSON.stringify({ key: block }))).toEqual([JSON.stringify(block).slice(1, -1)]);
      const truncated = `-----BEGIN ${label}-----\n${PEM_BODY.slice(0, 30)}`;
      expect(hits("private_key", `oops ${truncated}`)).toEqual([truncated]);
    }
    expect(hits("private_key", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY----- -----BEGIN CERTIFICATE-----")).toEqual([]);
  });

  it("recognises JWS, JWE and unsecured JWTs, and only those", () => {
    const jwe = `${b64url('{"alg":"RSA-OAEP","enc":"A256GCM"}')}.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji.XFBoMYUZodetZdvTiFvSkQ`;
    expect(hits("jwt", `token ${jwe} end`)).toEqual([jwe]);
    const unsecured = `${b64url('{"alg":"none"}')}.${b64url('{"sub":"1"}')}.`;
    expect(hits("jwt", `t=${unsecured} ok`)).toEqual([unsecured]);
    const spaced = jwt({ typ: "JWT", alg: "RS256", kid: "k1" }, { sub: "x" });
    expect(hits("jwt", `${spaced}.`)).toEqual([spaced]);
    expect(hits("jwt", `${b64url('{\n  "alg": "ES256"\n}')}.${b64url("{}")}.sig`)).toHaveLength(1);
  });
});

describe("look-alikes that must not match anything", () => {
  const lookAlikes = [
    // UUIDs, timestamps, epoch values
    "550e8400-e29b-41d4-a716-446655440000", "123E4567-E89B-12D3-A456-426614174000", "12345678-1234-1234-1234-123456789012",
    "2026-11-27", "2026-11-27T12:30:45Z", "2026-11-27T12:30:45.123+01:00", "2026-11-27 12:30:45", "12:30:45", "12:30:45.123",
    "Thu, 27 Nov 2026 12:30:45 GMT", "20261127123045", "1732701234567", "1732701234", "1732701234567890", "27/11/2026 09:05",
    // versions and user agents
    "1.2.3", "v10.15.0", "1.2.3-beta.4+build.567", "1.0.0+20130313144700", "10.0.19041.1", "1.2.3.4.5", "256.1.1.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    // ids, order numbers, hashes, base64
    "ORD-2026-000123", "#1234567", "INV-000123456", "PO 4500012345", "Processed 1234567 rows in 12.5 s",
    "9fceb02d0ae598e95dc970b74767f19372d61af8", "commit 9fceb02", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "eyJmb28iOiJiYXIifQ==", `${b64url('{"foo":"bar"}')}.${b64url('{"bar":1}')}.c2ln`, "SGVsbG8gd29ybGQ=", "dGhpcyBpcyBub3QgYSBqd3Q=",
    // prices and decimals
    "$1,234.56", "€1.234,56", "USD 12345.67", "3.14159265358979", "0.30000000000000004", "-122.41941550", "1e+21", "+123.456789",
    "0.4111111111111111", "4111111111111111.5",
    // Luhn-invalid cards, bad IBANs, invalid SSN ranges
    "4111 1111 1111 1112", "4111111111111112", "1234 5678 9012 3456", "1234567812345670", "9999 9999 9999 9995",
    "DE89 3704 0044 0532 0130 01", "GB82WEST12345698765433", "XX89370400440532013000", "Gb82WeSt12345698765432", "DE89 3704 0044 0532 0130",
    "000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "123-45-67890", "1123-45-6789",
    // MACs, hex words, code
    "00:1A:2B:3C:4D:5E", "00-1A-2B-3C-4D-5E", "00:1a:2b:ff:fe:3c:4d:5e", "deadbeef cafebabe 0xDEADBEEF", "std::vector<int>", "Foo::Bar::baz()", "a::b", "1::", "::", "16:9",
    // words around credentials and short or public look-alikes
    "Bearer token missing", "Basic plan", "authorization: denied", 'WWW-Authenticate: Bearer realm="api"', "scikit via sk-learn",
    "risk-assessment-for-q4-2026-planning", "pk_live_" + "51H8abcdEFGH1234ijkl", "prefix clk_0123abcd", "AKIA123", "ghp_short",
    "sk-" + "abcdefghijklmnopqrstuvwxyz", "icon@2x.png", "lodash@4.17.21", "@types/node", "user@localhost",
    // Clearlog's own markers
    "[EMAIL] [PHONE] [CARD] [IBAN] [IP] [SSN] [JWT] [TOKEN] [PRIVATE_KEY] [API_KEY] [SECRET] [REDACTED] [EMAIL:3f2a9c]",
  ];
  it.each(lookAlikes)("%j", (text) => {
    expect(all(text)).toEqual([]);
  });

  it("uses card numbers that are Luhn-valid only where the test says so", () => {
    expect(luhnValid("1234567812345670")).toBe(true); // valid checksum, but no issuer starts with 1
    expect(luhnValid("4111111111111112")).toBe(false);
  });
});

describe("findAll", () => {
  it("reports a JWT sent as a bearer token once, as a JWT", () => {
    const text = `Authorization: Bearer ${JWT}`;
    expect(findAll(text)).toEqual([{ start: text.indexOf(JWT), end: text.length, detector: "jwt" }]);
    expect(findAll(text, ["bearer_token"])).toEqual([{ start: text.indexOf(JWT), end: text.length, detector: "bearer_token" }]);
  });

  it("reports a provider key sent as a bearer token as an API key", () => {
    expect(all(`Authorization: Bearer ${KEYS.clearlog}`)).toEqual([`provider_api_key: ${KEYS.clearlog}`]);
  });

  it("finds the email inside a URL without swallowing the URL", () => {
    const text = "GET https://app.example.com/users?email=alice@example.com&ref=home 200";
    expect(all(text)).toEqual(["email: alice@example.com"]);
  });

  it("prefers a secret over a longer non-secret match", () => {
    const text = `${KEYS.openai}@example.com`;
    expect(all(text)).toEqual([`provider_api_key: ${KEYS.openai}`]);
  });

  it("prefers the longer match between non-secrets (IPv4 inside an IPv6 address)", () => {
    expect(all("from ::ffff:10.1.2.3 ok")).toEqual(["ip_address: ::ffff:10.1.2.3"]);
  });

  it("returns sorted, non-overlapping matches for a mixed log line, and honours the detector subset", () => {
    const text = `2026-11-27T12:30:45Z user=carol@example.com ip=203.0.113.9 card=4111111111111111 ssn=123-45-6789 auth="Bearer ${JWT}" key=${KEYS.github}`;
    expect(all(text)).toEqual([
      // `ssn=` labels the value as a secret-named field: the secret detector wins the overlap.
      "email: carol@example.com", "ip_address: 203.0.113.9", "payment_card: 4111111111111111", "labelled_secret: 123-45-6789", `jwt: ${JWT}`, `provider_api_key: ${KEYS.github}`,
    ]);
    expect(findAll(text, SECRET_DETECTORS).map((m) => m.detector)).toEqual(["labelled_secret", "jwt", "provider_api_key"]);
    expect(findAll(text, ["email", "email"])).toHaveLength(1);
    expect(findAll("")).toEqual([]);
  });

  it("stays fast on adversarial 256 KiB inputs", () => {
    const n = 256 * 1024;
    const inputs = ["1".repeat(n), "1 ".repeat(n / 2), "12-".repeat(n / 3), "a".repeat(n), ":".repeat(n), "a::".repeat(n / 3), "@".repeat(n), "a@b.".repeat(n / 4),
      "eyJhbGciOiJIUzI1.".repeat(n / 17), "Bearer " + "a1".repeat(n / 2), "sk-" + "a".repeat(n), "-----BEGIN RSA PRIVATE KEY-----".repeat(n / 31), "1.1.1.1 ".repeat(n / 8), "+1 ".repeat(n / 3)];
    const started = performance.now();
    for (const text of inputs) findAll(text);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe("isSensitiveFieldName", () => {
  const sensitive = [
    "password", "PASSWORD", "Password", "passwd", "pwd", "db_password", "DB_PASSWORD", "userPassword", "new_password", "password_confirmation",
    "password_hash", "password2", "secret", "client_secret", "clientSecret", "token", "access_token", "accessToken", "refresh_token", "id_token",
    "X-Auth-Token", "x-amz-security-token", "csrf_token", "csrftoken", "api_key", "apikey", "api-key", "apiKey", "API_KEY", "X-API-Key", "x-api-key",
    "authorization", "Authorization", "Proxy-Authorization", "auth", "auth_token", "cookie", "Cookie", "set-cookie", "Set-Cookie", "session",
    "sessionid", "JSESSIONID", "PHPSESSID", "private_key", "privateKey", "secret_key_base", "credentials", "otp", "otp_code", "pin", "cvv",
    "cvc", "cvv2", "ssn", "social_security_number", "connection_string", "DATABASE_URL", "passphrase", "aws_secret_access_key",
  ];
  const harmless = [
    "password_policy", "passwordPolicy", "password_updated_at", "has_password", "tokens", "token_count", "input_tokens", "output_tokens",
    "max_tokens", "maxTokens", "gen_ai.usage.input_tokens", "total_tokens", "tokenizer", "token_type", "next_page_token", "nextPageToken",
    "cancellationToken", "author", "authority", "authorId", "auth_method", "session_id", "sessionId", "session_key", "session_count",
    "passage", "keyboard", "monkey", "key", "cache_key", "primary_key", "idempotency_key", "public_key", "private_key_id", "api_key_id",
    "secret_name", "secretary", "cookie_consent", "withCredentials", "pin_count", "spin", "ssn_last4", "cvc_check", "email", "user_id", "",
  ];
  it.each(sensitive)("%j is sensitive", (name) => expect(isSensitiveFieldName(name)).toBe(true));
  it.each(harmless)("%j is not sensitive", (name) => expect(isSensitiveFieldName(name)).toBe(false));
});

describe("labelled secrets in free text", () => {
  it.each([
    ["password=hunter2&user=ann", "hunter2"],
    ['{"apiToken": "x9f8e7d6c5"}', "x9f8e7d6c5"],
    ["X-Api-Key: 5f4dcc3b5aa765d61d8327deb882cf99", "5f4dcc3b5aa765d61d8327deb882cf99"],
    ["db_password = 'S3cure!pass'", "S3cure!pass"],
    ["client_secret:correcthorsebatterystaple", "correcthorsebatterystaple"],
  ])("finds the value in %j", (text, value) => {
    expect(hits("labelled_secret", text)).toEqual([value]);
  });

  it.each(["password: required", "token: expired", "password_policy=strict12", "session_id=abc123", "input_tokens: 512", "secret: [SECRET]", "Authorization: Bearer"])(
    "leaves %j alone",
    (text) => {
      expect(hits("labelled_secret", text)).toEqual([]);
    },
  );
});

