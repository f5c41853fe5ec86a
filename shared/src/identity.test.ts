import test from 'ava';
import { idNumberCheckChar, idNumberProblem, maskIdNumber, maskName, maskPhone, normalisePhone, phoneProblem } from './identity.ts';

test('identity number checksum (GB 11643)', (t) => {
  t.is(idNumberCheckChar('11010519491231002'), 'X');
  t.is(idNumberProblem('11010519491231002X'), null);
  t.is(idNumberProblem('11010519491231002x'), null, 'lower-case x is accepted');
  t.regex(idNumberProblem('110105194912310021') ?? '', /校验位/);
  t.regex(idNumberProblem('110105194913310021') ?? '', /出生日期/);
  t.regex(idNumberProblem('12345') ?? '', /18 位/);
});

test('phone numbers', (t) => {
  t.is(phoneProblem('13812341234'), null);
  t.is(phoneProblem('+86 138-1234-1234'), null);
  t.is(normalisePhone('+8613812341234'), '13812341234');
  t.truthy(phoneProblem('12812341234'));
  t.truthy(phoneProblem('1381234123'));
});

test('masks', (t) => {
  t.is(maskPhone('13812341234'), '138****1234');
  t.is(maskIdNumber('11010519491231002X'), '110***********002X');
  t.is(maskName('张三丰'), '张**');
});
