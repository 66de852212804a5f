// A server-action request body Next cannot decode makes it answer 500 (React's decodeReply throws
// before the action runs). proxy.ts checks the body first and answers 400 instead. The checks follow
// what React's encodeReply sends: without files or other outlined parts, the arguments array as JSON
// text (any Content-Type but multipart); otherwise multipart form data whose field "0" holds that JSON.
// In a JSON-text body a string beginning with `$` is a reference to another part, except for the
// escapes and special values React writes inline; references cannot be resolved there, so they are
// refused.
const INLINE = /^\$(\$|undefined$|NaN$|Infinity$|-Infinity$|-0$|D|n-?\d+$|T)/;

/** Why a JSON-text action body cannot be decoded, or null when it can. */
export function textBodyProblem(text: string): string | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  if (!Array.isArray(root)) return "the body must be the action's argument list";
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.startsWith("$") && !INLINE.test(v)) return "the body refers to parts it does not have";
    } else if (typeof v === "object" && v !== null) {
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
    }
  }
  return null;
}

/**
 * A form posted without JavaScript: `$ACTION_REF_n` with `$ACTION_n:k` fields holding JSON (field 0:
 * `{ id, bound }`), or `$ACTION_ID_<id>`. Other fields are the form's own.
 */
function noScriptFormProblem(form: FormData): string | null {
  for (const [name, value] of form.entries()) {
    const m = /^\$ACTION_\d+:(\d+)$/.exec(name);
    if (!m) continue;
    if (typeof value !== "string") return "an action field is not text";
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return "an action field is not JSON";
    }
    if (m[1] === "0" && (typeof parsed !== "object" || parsed === null || typeof (parsed as { id?: unknown }).id !== "string")) return "the action reference has no id";
    if (m[1] !== "0" && typeof parsed === "string" && parsed.startsWith("$") && !INLINE.test(parsed)) return "the body refers to parts it does not have";
  }
  return null;
}

/** Why a server-action request (Next-Action header, or a form posted to a page) cannot be decoded, or null when it can. */
export async function actionBodyProblem(request: Request): Promise<string | null> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return "the body is not valid multipart form data";
    }
    const root = form.get("0");
    if (root === null) return noScriptFormProblem(form);
    if (typeof root !== "string") return "the argument list is not text";
    try {
      JSON.parse(root);
    } catch {
      return "the argument list is not JSON";
    }
    return null;
  }
  if (type.startsWith("application/x-www-form-urlencoded")) return null; // Next answers 404 itself
  return textBodyProblem(await request.text());
}
