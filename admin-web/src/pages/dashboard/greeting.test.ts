import test from 'ava';
import { greetingFor } from './greeting.ts';

test('greets by the hour', (t) => {
  t.deepEqual(
    [0, 6, 10, 12, 15, 20].map(greetingFor),
    ['晚上好', '早上好', '上午好', '中午好', '下午好', '晚上好'],
  );
});
