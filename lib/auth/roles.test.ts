import { describe, expect, it } from "vitest";
import { CONSOLE_SECTIONS, homeFor, ROLES, sectionRoles } from "./roles";

describe("roles and sections", () => {
  it("sends each role to a page it may see", () => {
    for (const role of ROLES) {
      const home = homeFor(role);
      if (home === "/privacy") expect(role).toBe("end_user");
      else expect(sectionRoles(home)).toContain(role);
    }
  });

  it("keeps end users out of the whole console", () => {
    for (const section of CONSOLE_SECTIONS) expect(section.roles).not.toContain("end_user");
  });

  it("lets data scientists reach only logs, training data and models", () => {
    const theirs = CONSOLE_SECTIONS.filter((s) => s.roles.includes("data_scientist")).map((s) => s.href);
    expect(theirs).toEqual(["/admin/logs", "/admin/training", "/admin/models"]);
  });

  it("gives admins every section", () => {
    expect(CONSOLE_SECTIONS.every((s) => s.roles.includes("admin"))).toBe(true);
  });

  it("refuses to guess the roles of an unknown section", () => {
    expect(() => sectionRoles("/admin/nope")).toThrow(/Unknown console section/);
  });
});
