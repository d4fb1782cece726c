;; The second invoke never returns: the isolated runner must time out and keep the first count.
(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "spin") (loop (br 0))))
(assert_return (invoke "one") (i32.const 1))
(invoke "spin")
(assert_return (invoke "one") (i32.const 1))
