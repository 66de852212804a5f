import { describe, expect, it } from "vitest";
import { actionBodyProblem, textBodyProblem } from "./action-body";

const post = (type: string, body: BodyInit) => new Request("http://x/login", { method: "POST", headers: { "content-type": type, "next-action": "abc" }, body });

describe("server action bodies Next could not decode are found before it tries", () => {
  it.each(["garbage", "[", "0", '{"a":1}', '["$K1",{}]', '["$@1"]', '[{"x":"$Q2"}]', '["$1"]', '["$h0"]'])("refuses the text body %j", (body) => {
    expect(textBodyProblem(body)).not.toBeNull();
  });

  it.each(["[]", "[1,2,3]", '[{"purpose":"analytics","granted":true}]', '["$$escaped dollar"]', '["$undefined","$NaN","$-0","$Infinity","$D2026-01-01T00:00:00.000Z","$n12345678901234567890"]', '[{"nested":["$T1"]}]'])("accepts the text body %j", (body) => {
    expect(textBodyProblem(body)).toBeNull();
  });

  it("multipart: refuses what does not parse or whose argument list is not JSON; accepts real ones and no-JavaScript forms", async () => {
    expect(await actionBodyProblem(post("multipart/form-data; boundary=x", "--x\r\ngarbage"))).toMatch(/multipart/);
    const badRoot = new FormData();
    badRoot.set("0", "[oops");
    expect(await actionBodyProblem(new Request("http://x/", { method: "POST", body: badRoot }))).toMatch(/not JSON/);
    const good = new FormData();
    good.set("1_email", "a@b.c");
    good.set("0", '["$K1"]');
    expect(await actionBodyProblem(new Request("http://x/", { method: "POST", body: good }))).toBeNull();
    const plainForm = new FormData();
    plainForm.set("email", "a@b.c");
    expect(await actionBodyProblem(new Request("http://x/", { method: "POST", body: plainForm }))).toBeNull();
  });

  it("forms posted without JavaScript: the action fields must be JSON with an id", async () => {
    const form = (fields: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return new Request("http://x/login", { method: "POST", body: f });
    };
    const ref = '{"id":"60dc2f8538cbcb8099d99a9569177794a024d58fb0","bound":"$@1"}';
    expect(await actionBodyProblem(form({ $ACTION_REF_1: "", "$ACTION_1:0": ref, "$ACTION_1:1": "garbage" }))).toMatch(/not JSON/);
    expect(await actionBodyProblem(form({ $ACTION_REF_1: "", "$ACTION_1:0": "{}" }))).toMatch(/no id/);
    expect(await actionBodyProblem(form({ $ACTION_REF_1: "", "$ACTION_1:0": ref, "$ACTION_1:1": '"$K9"' }))).toMatch(/parts/);
    expect(await actionBodyProblem(form({ $ACTION_REF_1: "", "$ACTION_1:0": ref, "$ACTION_1:1": "[{}]", email: "a@b.c", password: "x" }))).toBeNull();
  });

  it("text/plain and JSON content types are read as JSON text", async () => {
    expect(await actionBodyProblem(post("text/plain;charset=UTF-8", "not json \u0000"))).toMatch(/not JSON/);
    expect(await actionBodyProblem(post("application/json", "[]"))).toBeNull();
    expect(await actionBodyProblem(post("application/x-www-form-urlencoded", "%%%"))).toBeNull();
  });
});
