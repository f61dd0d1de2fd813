import { Context } from "../context";
import { ContextTable } from "../context-table";

function ctx(id: u32): Context {
  const c = new Context();
  c.id = id;
  return c;
}

describe("context table", () => {
  it("stores, finds and deletes by id through growth", () => {
    const t = new ContextTable();
    for (let i: u32 = 1; i <= 1000; i++) t.set(i, ctx(i));
    expect(t.size).toBe(1000);
    for (let i: u32 = 1; i <= 1000; i++) expect(t.get(i)!.id).toBe(i);
    for (let i: u32 = 1; i <= 1000; i += 2) t.delete(i);
    expect(t.size).toBe(500);
    for (let i: u32 = 1; i <= 1000; i++) {
      if (i & 1) expect(t.get(i)).toBeNull();
      else expect(t.get(i)!.id).toBe(i);
    }
    expect(t.get(0)).toBeNull();
    t.delete(5000); // absent: no effect
    expect(t.size).toBe(500);
  });

  it("keeps colliding ids reachable after deletions (backward shift)", () => {
    const t = new ContextTable();
    // 64 slots: ids equal modulo 64 collide.
    t.set(1, ctx(1)); t.set(65, ctx(65)); t.set(129, ctx(129)); t.set(2, ctx(2));
    t.delete(65);
    expect(t.get(129)!.id).toBe(129);
    expect(t.get(2)!.id).toBe(2);
    t.delete(1);
    expect(t.get(129)!.id).toBe(129);
    expect(t.get(2)!.id).toBe(2);
    expect(t.size).toBe(2);
  });

  it("stays small when ids keep increasing (streams come and go)", () => {
    const t = new ContextTable();
    for (let i: u32 = 1; i <= 20000; i++) {
      t.set(i, ctx(i));
      if (i > 3) t.delete(i - 3);
    }
    expect(t.size).toBe(3);
    expect(t.get(20000)!.id).toBe(20000);
  });
});
