import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, secret, supabaseConfigured } from "./env";

describe("parseEnv", () => {
  it("gives sane defaults on an empty environment", () => {
    const e = parseEnv({});
    expect(e.PORT).toBe(3000);
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.CLEARLOG_DATA_DIR).toBe(".data");
    expect(e.CLEARLOG_SESSION_TTL_HOURS).toBe(12);
    expect(supabaseConfigured(e)).toBe(false);
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: "mysql://localhost/x" }, /DATABASE_URL must be a postgresql:\/\/ connection string/],
    [{ PORT: "http" }, /PORT/],
    [{ PORT: "70000" }, /PORT/],
    [{ CLEARLOG_SECRET: "short" }, /CLEARLOG_SECRET must be at least 32 characters/],
    [{ NEXT_PUBLIC_SUPABASE_URL: "not a url" }, /NEXT_PUBLIC_SUPABASE_URL/],
    [{ CLEARLOG_SECURE_COOKIES: "maybe" }, /CLEARLOG_SECURE_COOKIES/],
  ])("refuses %o with a message naming the variable", (source, message) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(message);
  });

  it("reads notification settings, naming the variable when one is wrong", () => {
    expect(parseEnv({})).toMatchObject({ CLEARLOG_REMINDER_DAYS: [7, 1], CLEARLOG_WEBHOOK_ALLOW_PRIVATE: "0" });
    expect(parseEnv({}).CLEARLOG_SMTP_URL).toBeUndefined();
    expect(parseEnv({ CLEARLOG_SMTP_URL: "smtp://u:p@mail.example.com:587", CLEARLOG_REMINDER_DAYS: "1,14,7,7" })).toMatchObject({ CLEARLOG_SMTP_URL: "smtp://u:p@mail.example.com:587", CLEARLOG_REMINDER_DAYS: [14, 7, 1] });
    expect(parseEnv({ CLEARLOG_SMTP_URL: "" }).CLEARLOG_SMTP_URL).toBeUndefined();
    expect(() => parseEnv({ CLEARLOG_SMTP_URL: "mail.example.com" })).toThrow(/^Invalid configuration: CLEARLOG_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => parseEnv({ CLEARLOG_REMINDER_DAYS: "seven" })).toThrow(/^Invalid configuration: CLEARLOG_REMINDER_DAYS must be whole numbers/);
  });

  it("needs both Supabase variables to use Supabase", () => {
    expect(supabaseConfigured(parseEnv({ NEXT_PUBLIC_SUPABASE_URL: "http://127.0.0.1:9999" }))).toBe(false);
    expect(supabaseConfigured(parseEnv({ NEXT_PUBLIC_SUPABASE_URL: "http://127.0.0.1:9999", NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon" }))).toBe(true);
  });

  it("requires the secret where pseudonyms are made", () => {
    expect(() => secret(parseEnv({}))).toThrow(/CLEARLOG_SECRET is required/);
    expect(secret(parseEnv({ CLEARLOG_SECRET: "x".repeat(32) }))).toBe("x".repeat(32));
  });
});
