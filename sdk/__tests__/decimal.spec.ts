import { decimal } from "../bytes";

describe("decimal", () => {
  it("formats as i32.toString does", () => {
    const xs: i32[] = [0, 7, 9, 10, 99, 100, 12345, -1, -10, -987654, i32.MAX_VALUE, i32.MIN_VALUE];
    for (let i = 0; i < xs.length; i++) expect(decimal(xs[i])).toBe(xs[i].toString());
  });
});
