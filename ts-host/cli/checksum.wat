(module
  (memory (export "memory") 1)
  ;; A 64-bit checksum of memory[0, len): one multiply-xor round per 8 bytes (len is padded
  ;; with zeros to a multiple of 8 by the caller's fresh memory), then the length mixed in.
  (func (export "checksum") (param $len i32) (result i64)
    (local $i i32) (local $h i64)
    (local.set $h (i64.const 0x9e3779b97f4a7c15))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $i))) (i64.const 0x100000001b3)))
        (local.set $h (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (i64.xor (local.get $h) (i64.extend_i32_u (local.get $len)))))
