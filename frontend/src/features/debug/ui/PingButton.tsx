import { useState } from 'react';
import { errorText, invoke } from '../../../bridge';

/** Backend round trip check: `get_system_info`, result shown as JSON (the E2E tests' first probe). */
export function PingButton() {
  const [result, setResult] = useState<string>('');
  const ping = async () => {
    try {
      setResult(JSON.stringify(await invoke('get_system_info')));
    } catch (reason) {
      setResult(`error: ${errorText(reason)}`);
    }
  };
  return (
    <span className="ping">
      <button id="ping-button" data-testid="ping-button" type="button" onClick={ping}>
        Ping
      </button>
      <code id="ping-result" data-testid="ping-result">
        {result}
      </code>
    </span>
  );
}
