module meshplug.test/libinjection-reference

go 1.22

require github.com/corazawaf/libinjection-go v0.3.3
