import { describe, expect, it } from "vitest";
import { actionGroupSchema, renderTemplate, templatePlaceholderNames, templateProblems, type TemplatePlaceholder } from "./index";

/** What the API answers: each issue as `<path>: <message>`. */
const errors = (templates: unknown) => {
  const r = actionGroupSchema.safeParse({ name: "g", templates });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("templates", () => {
  it("offer the placeholders the issue names", () => {
    for (const name of [
      "essentials.alertId", "essentials.alertRule", "essentials.severity", "essentials.monitorCondition", "essentials.firedDateTime",
      "essentials.resolvedDateTime", "essentials.description", "essentials.signalType", "tenant.name", "tenant.slug", "alert.link",
      "alert.vault", "alert.backupItem", "alert.resourceGroup", "alert.measuredValue", "alert.threshold", "alert.operator",
      "alert.windowStart", "alert.windowEnd", "alert.dimensions", "actionGroup.name",
    ])
      expect(templatePlaceholderNames).toContain(name);
  });

  it("accept known placeholders, with or without spaces inside the braces", () => {
    const group = actionGroupSchema.parse({ name: "g", templates: { subject: "{{ essentials.severity }} {{essentials.alertRule}} at {{tenant.name}}", body: "See {{alert.link}}" } });
    expect(group.templates).toEqual({ subject: "{{ essentials.severity }} {{essentials.alertRule}} at {{tenant.name}}", body: "See {{alert.link}}" });
    expect(actionGroupSchema.parse({ name: "g" }).templates).toBeUndefined();
  });

  it("name an unknown placeholder and the field that holds it", () => {
    expect(errors({ subject: "{{essentials.foo}} fired" })).toEqual(["templates.subject: unknown placeholder {{essentials.foo}}"]);
    expect(errors({ body: "{{tenant.name}} {{ alert.nope }} {{Tenant.Name}}" })).toEqual([
      "templates.body: unknown placeholder {{alert.nope}}",
      "templates.body: unknown placeholder {{Tenant.Name}}",
    ]);
    expect(templateProblems("{{tenant.name")).toEqual(['"{{" must open a placeholder such as {{essentials.alertRule}}']);
    expect(templateProblems("{{ has spaces in it }}")).toEqual(['"{{" must open a placeholder such as {{essentials.alertRule}}']);
  });

  it("bound the subject (one line, 255) and the body (10,000), and refuse other keys", () => {
    expect(errors({ subject: "x".repeat(256) })).toEqual(["templates.subject: templates.subject must be at most 255 characters"]);
    expect(errors({ subject: "a\nb" })).toEqual(["templates.subject: templates.subject must be one line"]);
    expect(errors({ body: "x".repeat(10_001) })).toEqual(["templates.body: templates.body must be at most 10,000 characters"]);
    expect(errors({ footer: "x" })[0]).toMatch(/^templates: /);
    expect(errors({ subject: 3 })).toEqual(["templates.subject: templates.subject must be text"]);
  });

  it("render values into the text, escaping values only", () => {
    const values = Object.fromEntries(templatePlaceholderNames.map((n) => [n, ""])) as Record<TemplatePlaceholder, string>;
    values["essentials.alertRule"] = "Backup <failed>";
    values["tenant.name"] = "Contoso";
    expect(renderTemplate("<b>{{essentials.alertRule}}</b> for {{ tenant.name }}", values)).toBe("<b>Backup <failed></b> for Contoso");
    expect(renderTemplate("<b>{{essentials.alertRule}}</b>", values, (v) => v.replace(/</g, "&lt;").replace(/>/g, "&gt;"))).toBe("<b>Backup &lt;failed&gt;</b>");
    expect(renderTemplate("no placeholders", values)).toBe("no placeholders");
  });
});
