describe('as-pect', () => {
  it('runs', () => {
    expect<i32>(1 + 1).toBe(2);
  });
});
