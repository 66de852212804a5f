import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";

// A rights request from the person's privacy center to the admin queue and back.
test("an end user sends a request, an admin works it to completion, the person sees every step", async ({ browser }) => {
  const details = `Please fix my display name (${Date.now()})`;
  const user = await browser.newContext({ storageState: storageState("end_user") });
  const portal = await user.newPage();
  await portal.goto("/privacy");
  await portal.getByLabel("What would you like us to do?").selectOption("rectification");
  await portal.getByLabel("Details (optional)").fill(details);
  await portal.getByRole("button", { name: "Send request" }).click();
  const mine = portal.getByTestId("my-requests").getByRole("listitem").filter({ hasText: "Rectification" }).first();
  await expect(mine).toContainText("Received");
  await expect(mine).toContainText("answer due by");

  const admin = await browser.newContext({ storageState: storageState("admin") });
  const console = await admin.newPage();
  await console.goto("/admin/privacy-requests?status=received");
  await console.getByTestId("request-queue").getByRole("link", { name: "Rectification" }).first().click();
  await expect(console.getByText(details)).toBeVisible();

  await console.getByRole("button", { name: "Reject" }).click();
  await console.getByRole("dialog", { name: "Reject this request?" }).getByRole("button", { name: "Reject the request" }).click();
  await expect(console.getByTestId("form-error")).toContainText("Give the person a reason");

  await console.getByRole("button", { name: "Mark verified" }).click();
  await expect(console.getByRole("button", { name: "Mark in progress" })).toBeVisible();
  await console.getByLabel("Reason shown to the person").fill("We need to confirm the change with you.");
  await console.getByRole("button", { name: "Extend" }).click();
  await expect(console.getByText("Extended: We need to confirm the change with you.")).toBeVisible();
  await expect(console.getByRole("button", { name: "Extend" })).toHaveCount(0);
  await console.getByRole("button", { name: "Mark in progress" }).click();
  // A rectification completes with a note the person reads.
  await console.getByRole("button", { name: "Mark completed" }).click();
  await expect(console.getByTestId("form-error")).toContainText("Tell the person what was corrected");
  await console.getByLabel(/What was corrected/).fill("Your display name now reads as you asked.");
  await console.getByRole("button", { name: "Mark completed" }).click();
  await expect(console.getByText("This request is closed.")).toBeVisible();

  await console.goto("/admin/audit?resourceType=privacy_request");
  await expect(console.getByTestId("audit-table")).toContainText("privacy_request.completed");
  await expect(console.getByTestId("audit-table")).not.toContainText(details);

  await portal.reload();
  await expect(mine).toContainText("Completed");
  const timeline = mine.getByTestId("request-timeline");
  await expect(timeline).toContainText("Verified");
  await expect(timeline).toContainText("Deadline extended");
  await expect(timeline).toContainText("We need to confirm the change with you.");
  await expect(timeline).toContainText("Completed");
  await expect(mine.getByTestId("resolution-note")).toHaveText("Your display name now reads as you asked.");
  await expect(mine.getByTestId("request-details")).toContainText(details);
  await user.close();
  await admin.close();
});
