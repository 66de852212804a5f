import { describe, expect, it } from "vitest";
import { can, CONSOLE_SECTIONS, PERMISSIONS, sectionsFor, type Permission } from "./permissions";
import { homeFor, ROLES } from "./roles";

describe("the permission map", () => {
  it("sends each role to a page it may see", () => {
    for (const role of ROLES) {
      const home = homeFor(role);
      if (home === "/privacy") expect(can(role, "portal.use")).toBe(true);
      else expect(sectionsFor(role).map((s) => s.href)).toContain(home);
    }
  });

  it("keeps end users out of the whole console and staff out of the portal", () => {
    expect(sectionsFor("end_user")).toEqual([]);
    expect(can("end_user", "console.enter")).toBe(false);
    expect(can("admin", "portal.use")).toBe(false);
    expect(can("data_scientist", "portal.use")).toBe(false);
  });

  it("lets data scientists reach only logs, training data and models", () => {
    expect(sectionsFor("data_scientist").map((s) => s.href)).toEqual(["/admin/logs", "/admin/training", "/admin/models"]);
  });

  it("gives admins every console section", () => {
    expect(sectionsFor("admin")).toHaveLength(CONSOLE_SECTIONS.length);
  });

  it("refuses nobody's role and unknown roles", () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      expect(can(null, permission)).toBe(false);
      expect(can(undefined, permission)).toBe(false);
      expect(can("root" as never, permission)).toBe(false);
    }
  });
});
