/**
 * Picking from antd dropdowns the way a person does: open the control with a
 * click, (type to search,) click the option in the popup. antd renders its
 * popups in a portal at the end of <body>, and keeps closed ones in the page
 * (hidden), so the open one is found by visibility.
 */
import type { Locator, Page } from 'playwright-core';
import { eventually, see } from './platform.ts';

/** The dropdown (Select, TreeSelect) that is open now. */
function openDropdown(page: Page): Locator {
  return page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ visible: true });
}

/**
 * Opens a Select (its root carries the test id) and clicks the option whose text is `option`; `search` is typed
 * first. Done when the Select shows the option as its value.
 */
export async function pickOption(page: Page, select: Locator, option: string | RegExp, search?: string): Promise<void> {
  const chosen = select.locator('.ant-select-selection-item').filter({ hasText: option });
  // On a loaded machine a click can land while the pop-up is still sliding in: antd ignores it (the pop-up stays
  // open) or, with the options still moving, it lands on a neighbouring one. A person would look at what the
  // control shows and pick again; so does this.
  await eventually(
    async () => {
      if (!(await openDropdown(page).first().isVisible())) {
        await select.click();
        if (search !== undefined) await page.keyboard.type(search);
      }
      const item = openDropdown(page).locator('.ant-select-item-option').filter({ hasText: option });
      await see(item);
      await item.first().click({ timeout: 5_000 });
      await openDropdown(page).waitFor({ state: 'hidden', timeout: 2_000 });
      await chosen.first().waitFor({ state: 'visible', timeout: 2_000 });
    },
    { interval: 200 },
  );
}

/**
 * Opens a TreeSelect, types `search` into it, and clicks the tree node titled
 * `title`. A single-choice tree closes by itself; a multiple (checkable) one
 * ticks the node and stays open, and is closed with Escape (only then: inside
 * a drawer or modal, a stray Escape would close that too).
 */
export async function pickTreeNode(page: Page, treeSelect: Locator, title: string, { search = title, multiple = false }: { search?: string; multiple?: boolean } = {}): Promise<void> {
  await treeSelect.click();
  await page.keyboard.type(search);
  const node = openDropdown(page).locator(`.ant-select-tree-node-content-wrapper[title="${title}"]`);
  await see(node);
  await node.first().click();
  if (multiple) await page.keyboard.press('Escape');
  await openDropdown(page).waitFor({ state: 'hidden' }).catch(() => undefined);
}

/** Where a dialog (Modal, Popconfirm) holding `button` is in its motion, and whether the button is busy. */
function dialogState(button: Locator) {
  return button.evaluate((el) => {
    const motion = el.closest('.ant-modal, .ant-popover')?.className ?? '';
    return {
      opening: /-(appear|enter)(\s|$|-)/.test(motion),
      leaving: /-leave(\s|$|-)/.test(motion),
      loading: el.classList.contains('ant-btn-loading'),
    };
  });
}

/**
 * Clicks a button in a dialog once the dialog has finished opening. On a loaded machine a click during the
 * opening zoom can miss the moving button (seen in CI: the dialog stayed open, nothing was sent).
 */
export async function clickInDialog(button: Locator): Promise<void> {
  await see(button);
  await eventually(async () => {
    if ((await dialogState(button)).opening) throw new Error('the dialog is still opening');
  });
  await button.click();
}

/**
 * Clicks a dialog's confirm button and waits until the dialog has gone. A person who sees the dialog still
 * open with its button idle clicks again; a click that was taken shows as a loading button or a closing
 * dialog, and is never repeated.
 */
export async function confirmDialog(button: Locator): Promise<void> {
  await clickInDialog(button);
  await eventually(
    async () => {
      if (!(await button.isVisible())) return;
      const now = await dialogState(button).catch(() => null);
      if (now && !now.loading && !now.leaving && !now.opening) await button.click({ timeout: 2_000 }).catch(() => undefined);
      throw new Error('the dialog is still open');
    },
    { interval: 3_000 },
  );
}
