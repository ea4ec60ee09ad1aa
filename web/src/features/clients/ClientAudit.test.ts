import { auditCsv, entryWords } from "./ClientAudit";

const entry = {
  id: "a1",
  at: "2026-12-02T09:15:00.000Z",
  user_id: "u1",
  user_name: "Maya Lindqvist",
  action: "override" as const,
  resource: "consultation" as const,
  detail: 'Dermatologist said "fine", letter on file',
  client_id: "c1",
  ip: "127.0.0.1",
  hash: "ab12",
};

describe("the access log", () => {
  it("says each entry in words", () => {
    expect(entryWords({ action: "read", resource: "document", detail: "report.pdf" })).toBe("Read a document: report.pdf");
    expect(entryWords({ action: "create", resource: "photo" })).toBe("Created a photo");
    expect(entryWords(entry)).toBe('Started a consultation against the assessment\'s advice, for this reason: Dermatologist said "fine", letter on file');
  });

  it("exports as RFC 4180 CSV, quotes doubled and CRLF line ends", () => {
    expect(auditCsv([entry])).toBe(
      '"at","user","action","resource","detail","from","hash"\r\n' +
        '"2026-12-02T09:15:00.000Z","Maya Lindqvist","override","consultation","Dermatologist said ""fine"", letter on file","127.0.0.1","ab12"\r\n',
    );
  });
});
