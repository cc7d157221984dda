// What both apps' e2e suites check about how pages look, apart from what they say.
import { expect } from "@playwright/test";
import type { Browser } from "@playwright/test";

/** The page background a visitor with the given system colour scheme sees on `url`. */
export async function bodyBackground(
  browser: Browser,
  url: string,
  colorScheme: "light" | "dark",
): Promise<string> {
  const ctx = await browser.newContext({ colorScheme });
  const page = await ctx.newPage();
  await page.goto(url);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await ctx.close();
  return bg;
}

/** --bg of each palette in packages/ui's stylesheet. */
export const BACKGROUND = { light: "rgb(246, 247, 249)", dark: "rgb(15, 19, 28)" };
