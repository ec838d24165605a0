/**
 * build-option-refused: the repository's `kustomize.buildOptions` name a flag that runs or
 * reaches something (`--helm-command ./pwn.sh`, `--enable-exec`…), which Home-Ops' render leaves
 * out unless the user allows it (render/buildOptionPolicy.ts). Said at the line that sets it, so
 * a user who wants the flag knows how, and a user who did not put it there sees it. An info:
 * Argo CD itself runs with the flag; only Home-Ops' previews differ, so nothing is wrong with the
 * repository.
 */
import { screenBuildOptions, type RefusedOption } from '../argocd/buildOptionPolicy';
import { splitBuildOptions } from '../argocd/source';
import { repositoryBuildOptions } from './buildOptions';
import { defineRule } from './types';

export const buildOptionRefused = defineRule({
  id: 'build-option-refused',
  description: 'The repository\'s kustomize.buildOptions name a flag that runs a program or reaches outside the build (--helm-command, --enable-exec, --enable-alpha-plugins, --mount, --network, -e, an unknown flag): Home-Ops renders without it unless the user allows it.',
  defaultSeverity: 'info',
  run(ctx) {
    // The options render uses: the most specific place the repository sets them.
    const used = repositoryBuildOptions(ctx)[0];
    if (!used) return;
    const { refused } = screenBuildOptions(splitBuildOptions(used.options), ctx.options.buildOptionPolicy);
    if (refused.length === 0) return;
    const text = ctx.model.textOf(used.file) ?? '';
    const line = Math.max(0, used.line - 1);
    const lineText = text.split('\n')[line] ?? '';
    // From the first refused flag on that line when it is there, else the whole line.
    const at = lineText.indexOf((refused[0] as RefusedOption).text.split(' ')[0] as string);
    const start = at >= 0 ? at : lineText.length - lineText.trimStart().length;
    const end = at >= 0 ? Math.min(lineText.length, at + (refused[0] as RefusedOption).text.length) : lineText.trimEnd().length;
    const list = refused.map((r) => `${r.text} (${r.why})`).join('; ');
    const flags = [...new Set(refused.map((r) => r.flag))];
    ctx.report({
      file: used.file,
      range: { start: { line, character: start }, end: { line, character: Math.max(start, end) } },
      message: `Home-Ops renders without ${flags.length === 1 ? 'this build option' : 'these build options'} from the repository: ${list}. To use ${flags.length === 1 ? 'it' : 'them'}, add ${flags.map((f) => `"${f}"`).join(', ')} to the user setting homeOps.render.allowedBuildOptions, or run \`home-ops render --trust-repo-config\` (or --allow-build-option ${flags[0]}).`,
    });
  },
});
