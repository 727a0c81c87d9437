import { describe, expect, it } from "vitest";
import { decodeHdrBase64, logBins, percentileSpectrum, valueAtPercentile } from "./hdr-histogram.js";

// Made with @cohort/loadtest (hdr-histogram-js): 5 000 skewed latencies from 50 µs to 200 ms and one
// of 3 s, in the 1 µs–60 s, 3-digit layout the testers use; the values are that library's
// getValueAtPercentile at the same percentiles.
const FIXTURE = "HISTFAAAB/p4nE1YW5LkSBGM9YzMlEqtramt6WlrZoc14A84AR+Y8cNFOAQXWDMOsNyGy2HuHqmesZ5uVSkVGQ8PD0/9/Otvz4jP/46IHyKihf/xOtpv/4n1+V//bb/+8M+//fXPv//5yx9vv/v848unz7dPLz+95O3LNm4vX17Gy48/RY7tNkYO/cVLjE+fYoux5W3E2CLzljfgJXl3ywAQGJGZkQODvzOR2wCAMbZE4+cxNi7MsY0xAD3X9BACiIT+ZSJ4dwst5o3Q4psXBWi2ATgRCHSUA7zbdWvoqUlbkRkY2dDpZ2qPRiPZgF1muqwPJJq+RQx7RD+arA9ZtoeRjT5wTQZ9n6Nhyt+ZGPIp0Giaj3ZeTBy8ChxI3dauyK4PKafpKB/YvUAezGR4HZN7z5xp42h4QLvj+kpfJ/CUsYm8c2PnTnkNTO26a4epOODv5nbwfiS6jKIpkfZFGeO9uxKcqc1j0FYbCq45bQAeClxb7XSCf3Iiv+Lgg01JwCO58g0xRlvFo+nGtbR7l4nDkUW+4cAvzF7ufPB05UftdKdnKopyzVrT411JPtAdBV1t8m/Kx64EvSG0GZ/pa6l++ipigazpcwBvgo0eoTtOPL5yKdcfLnnPE2+wIQamHf4AGAaBx1BsLMYDf0HDq9L8ysR35jSUWK7O02U7lkeP3Fk0GvuWKuHkr8N3GfE/XMLuOgROVaNBMYI556dHPvGVvqDhqTVeQNeUz7OcxdPQZWCngt/zlHN3R/uAc3MCexJ0DoOhq70NI5VoeP9GsDrz2XOmbj5sGw41G1gi9kDueFfHsKBTFX6o67Qu1PjuogW/kPuuk0H3TdBW7x/jiScDavk03PLdPUi4wvmcxQ/yWh7vOJJe6d4v0Hdq3ze8qz57IeiQC98Gm/OUlUNJimp5uLtQEeDNBHGolXBiCp3ekkXIaUyy9jh8xfoeCvKb8shU3dHZ/+4bmX7koqOnfLtX8/MKfzJjkCkn2+YQK+TFG91wHYo/U4CCsbG711h+NzAf15Pm5mQSXK7ar4vSMlY/jSgv3Whn8VeK0B/VcG65NoQ1+tpQjNnM0F6kLpERZq4rG8dHHSctz4+2Fs+yd4W1qebr6pAJVamJGT6WH76EWprdmcZztjzKLZGAAZdP9b82/Mp6tIpVSMV7Od7V+g81aUYeTlZP7nBC/jOd72azKWfvdPuZqp7j7mmKUQiYBhnzSiZtRT+mUsGjAU8OlXc0ZoDJMkSUz3vaT2V3CmO6UflunIQO1o8kauIWrWogOa1Foy62TOzZDN3wJG4aMHXhGZbOo4C/V9d5+rkZ7gykPAnlKUmPKtj05PaIJoiaaNIUIZrsKGLtQ+1a+oLeOoqjwOWMFjjzvhq9aQQZFE/vo9T2NYuKary+FXxy8ZZCZP5yjqPSg++UT2guRrmIM020hM2wAmLGT5On1cGOEgx6qKaMeM5JmsArE6HbRMKjShLqki7O7QWluZBGFhlFC63saNFDo2wiT7zTsnxoGgtV9KhJPEnqVequ/ofHB0vBELOL20b3aIjN6RXriZNIN23U3fpvtdAQIz3pcuwlDhcoyeG9tlXKPiDXC+hTWsO4vLAnNhAHVG4E5paaMlReSkKaYKGZtlLD6psl9tTcTE8wduCeacLs5mM3VxRvnRZ6ucbWpTREHl2lp97R5h6FOzw6X0UQYRWgnB0avy60QEf9a3Jy3wrTQx1XvnuUZKtEuamvUW1StjLaP5SpaGqmxy6dPJVZj2xPCsUjhbCbYUmTS/kosH31R2HrzCpNv1h/1pWYVEKycrTb61ksM5inS66FuV7OHRsWBQ0VP3kwyLa1UvohJMGP+GDQvmMiJpECdxQBZM683y7F2guVDaMvLgmPwmZ2DT4eV151WmCD7pdflY9WunCjscjYNHoFwAJUuVvNWkeZ4qJceo1iSzJG+cpSGz5DpEbkKBmbDiDFmGPRtcop4xJZ2t3QuMu0MlsMiQfsFrdlS05cxHwhPKdlbmnAldzIIouPViiG0Y4NS76u3uTZwKMJ6eMeN8wLukL8WBDhlyNbHbOEiuTwaT5p1gnKaqQJWV2nBmuzWMxMvGBpVxFFG0kpynUjLgFnGoxrfti8TO8Q9xYwq9vyzWPmKG32KmdqfpRC0oySTh/xkTg1R6aN1twdNWqGEFHiCDCgNfBG19HS++fQvTTq0khYR9nrLLbmcaGiuDLr3BqSqimeyyUF/NPTDCptgMitAFEw0CH3mgrD0DUDLpaX3G/DtqiH5joxk+/fq/4+9rLvckj68Z2DB8PyWzjiiwif4oYFSkX7qLO53buad34/Mhx1szxbgkCyjbzailIIkjbWsb4OBOyGPixLkTq3qwYF11GFVsXxXdlyveIw1e4+hi8hpfxP83/NXPUeGLoGr4SO108Tg0cB9Ypft1jxXUIIIqS76r+RhvdLr/ndRfaCPkaJmKW6M0p0NAuPS5z3lcHpKTTV/6vVT7Ptatz0awjBlcSnUXnq5U6NcmUor9nEnvQxIz6mlqquJNTxX1qBb4zYLnqcPDcyxxKctLoBGxsyF0dJYPD1j8+KYuTSUikMse8zrzMOK4/coMFCFzSUdjGHO2JmLmWyrbdNhOkUW5EhNskHORpYDldnqMGh8e93Uv0jydWLq2eJyHYppHbhpifKci7OGEvMYz1fr9745ahDiMl41GAtdDPUrDdjhdWmzG6o90m5KpXZMzZg3/73d/wfcWJJ0g==";
const EXPECTED = { at: [0, 50, 90, 99, 99.9, 99.99, 100], values: [50, 11951, 129663, 193791, 199167, 3000319, 3000319], total: 5001, min: 50, max: 3000000 };
const EMPTY = "HISTFAAAAB14nJNpmSzMwMDACMXMDBAAYjMwT25ngPMBP/YCaw==";

describe("decodeHdrBase64", () => {
  it("reads the testers' histograms with the same percentiles as hdr-histogram-js", async () => {
    const histogram = await decodeHdrBase64(FIXTURE);
    expect(histogram.totalCount).toBe(EXPECTED.total);
    expect(EXPECTED.at.map((p) => valueAtPercentile(histogram, p))).toEqual(EXPECTED.values);
    expect(histogram.minValue).toBeLessThanOrEqual(EXPECTED.min);
    expect(histogram.maxValue).toBeGreaterThanOrEqual(EXPECTED.max);
  });

  it("gives a rising spectrum and bins that hold every count", async () => {
    const histogram = await decodeHdrBase64(FIXTURE);
    const spectrum = percentileSpectrum(histogram);
    for (let i = 1; i < spectrum.length; i++) expect(spectrum[i]![1]).toBeGreaterThanOrEqual(spectrum[i - 1]![1]);
    expect(logBins(histogram).reduce((sum, bin) => sum + bin.count, 0)).toBe(EXPECTED.total);
  });

  it("reads an empty histogram and refuses what is not one", async () => {
    const empty = await decodeHdrBase64(EMPTY);
    expect(empty.totalCount).toBe(0);
    expect(valueAtPercentile(empty, 99)).toBe(0);
    await expect(decodeHdrBase64("aGVsbG8gd29ybGQ=")).rejects.toThrow("not a compressed V2 HDR histogram");
  });
});
