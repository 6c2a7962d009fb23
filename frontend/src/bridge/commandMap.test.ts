import { expectTypeOf, it } from 'vitest';
import type { CommandArgs, CommandName, CommandResult, VideoTask } from '../types/generated/contract';
import { invoke } from './index';

// Checked by the compiler (the build runs tsc over the tests too): the generated map types invoke by command.
it('types each command by its arguments and result', () => {
  expectTypeOf<CommandResult<'get_rate_limit'>>().toEqualTypeOf<number | null>();
  expectTypeOf<CommandResult<'get_download_tasks'>>().toEqualTypeOf<VideoTask[]>();
  expectTypeOf<CommandArgs<'pause_download'>>().toEqualTypeOf<{ taskId: string }>();
  const pause = () => invoke('pause_download', { taskId: 'a' }); // never called: only its type is checked
  expectTypeOf(pause).returns.resolves.toEqualTypeOf<null>();
  expectTypeOf<'pause_download'>().toMatchTypeOf<CommandName>();
});
