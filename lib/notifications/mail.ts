import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env";
import type { Mail } from "./outbox";

// E-mail to requesters goes out over the SMTP server of CLEARLOG_SMTP_URL, from CLEARLOG_MAIL_FROM.
let cached: { url: string; transport: Transporter } | undefined;

function transport(): Transporter {
  const url = env().CLEARLOG_SMTP_URL;
  if (!url) throw new Error("SMTP is not configured");
  if (cached?.url !== url) cached = { url, transport: nodemailer.createTransport(`${url}${url.includes("?") ? "&" : "?"}connectionTimeout=10000&greetingTimeout=10000&socketTimeout=20000`) };
  return cached.transport;
}

export function mailConfigured(): boolean {
  return Boolean(env().CLEARLOG_SMTP_URL);
}

export async function sendMail(mail: Mail): Promise<void> {
  await transport().sendMail({ from: env().CLEARLOG_MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
}
