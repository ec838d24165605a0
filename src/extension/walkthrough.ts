/**
 * The getting-started walkthrough, opened by itself once per workspace — the first time the
 * extension finds an Argo CD repository there, not on every start and not in a folder that has
 * nothing for it — and from the view's welcome content and title menu at any time.
 */
import * as vscode from 'vscode';

/** `publisher.name#walkthrough id`, as `workbench.action.openWalkthrough` takes it. */
export const WALKTHROUGH = 'home-ops.home-ops#homeOps.gettingStarted';
/** workspaceState key: the walkthrough opened by itself in this workspace already. */
const SHOWN = 'homeOps.walkthroughShown';

/** Opened on request: focused, as any page the user asked for. */
export function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
}

/** Opens the walkthrough when this workspace holds an Argo CD repository and it never opened here. */
export async function offerWalkthroughOnce(state: vscode.Memento, foundRepository: boolean): Promise<boolean> {
  if (!foundRepository || state.get<boolean>(SHOWN, false)) return false;
  await state.update(SHOWN, true);
  // Opened by itself: as an inactive tab, so it never takes the keyboard from what the user is doing.
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, { toSide: false, inactive: true });
  return true;
}
