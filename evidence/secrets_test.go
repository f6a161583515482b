package evidence

import (
	"strings"
	"testing"
)

// TestMaskSecrets: each pattern masks its secret (and keeps the words
// around it, and the key name where it has one), and ordinary output that
// merely mentions passwords and tokens is left alone.
func TestMaskSecrets(t *testing.T) {
	pem := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----"
	cases := []struct {
		name, in, want string
	}{
		{"private key", "before\n" + pem + "\nafter", "before\n[masked private key]\nafter"},
		{"openssh key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n", "[masked private key]\n"},
		{"key cut short", "x\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49", "x\n[masked private key]"},
		{"aws access key", "aws_access_key_id AKIAIOSFODNN7EXAMPLE ok", "aws_access_key_id [masked aws access key] ok"},
		{"aws secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [masked password]"},
		{"github token", "token ghp_16C7e42F292c6912E7710c838347Ae178B4a and more", "token [masked github token] and more"},
		{"github fine-grained", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", "[masked github token]"},
		{"gitlab token", "PRIVATE-TOKEN: glpat-xxxxXXXXxxxxXXXXxxxx", "PRIVATE-TOKEN: [masked gitlab token]"},
		{"slack bot token", "SLACK=xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy", "SLACK=[masked slack token]"},
		{"slack webhook", "POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX done", "POST [masked slack webhook] done"},
		{"google api key", "key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "key=[masked google api key]"},
		{"stripe key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "[masked stripe key]"},
		{"jwt", "id_token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "id_token: [masked jwt]"},
		{"bearer", "Authorization: Bearer abcDEF123456789.xyz-_~+/", "Authorization: Bearer [masked bearer token]"},
		{"url password", "postgres://admin:s3cr3t-pw@db.internal:5432/app", "postgres://admin:[masked url password]@db.internal:5432/app"},
		{"password=", "connecting with password=hunter2 user=bob", "connecting with password=[masked password] user=bob"},
		{"quoted secret", `"client_secret": "abc def"`, `"client_secret": [masked password]`},
		{"env secret", "DB_PASSWORD='x y z'", "DB_PASSWORD=[masked password]"},
		{"api key", "X-Api-Key: 1234567890abcdef", "X-Api-Key: [masked password]"},
		{"no secret", "password policy updated; 3 tokens issued\nrotate the api key monthly", "password policy updated; 3 tokens issued\nrotate the api key monthly"},
	}
	for _, c := range cases {
		got, n := maskSecrets(c.in)
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if wantN := strings.Count(c.want, "[masked"); n != wantN {
			t.Errorf("%s: counted %d masks, want %d", c.name, n, wantN)
		}
	}
}

// TestMaskTail: the tail of a long output that starts inside a private key
// (its BEGIN line left out with the middle) masks up to the key's end.
func TestMaskTail(t *testing.T) {
	got, n := maskTail("Vq8tY3g0h+Z\nAAAA==\n-----END PRIVATE KEY-----\nok\n")
	if got != "[masked private key]\nok\n" || n != 1 {
		t.Errorf("got %q, %d", got, n)
	}
	if got, n := maskTail("ok\n-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"); n != 0 || !strings.HasPrefix(got, "ok") {
		t.Errorf("a whole key is maskSecrets' to mask: %q, %d", got, n)
	}
}

// TestLongOutputMasksBothParts: a secret in the head and one in the tail of
// a long output are both masked, and a key cut by the omission too.
func TestLongOutputMasksBothParts(t *testing.T) {
	c := &capture{}
	c.Write([]byte("token=ghp_16C7e42F292c6912E7710c838347Ae178B4a\n-----BEGIN PRIVATE KEY-----\n"))
	for i := 0; i < 10000; i++ {
		c.Write([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n"))
	}
	c.Write([]byte("-----END PRIVATE KEY-----\nAKIAIOSFODNN7EXAMPLE\n"))
	k := c.kept()
	if strings.Contains(k.Text, "QUJD") || strings.Contains(k.Text, "ghp_") || strings.Contains(k.Text, "AKIA") {
		t.Errorf("a secret survived: %q … %q", k.Text[:120], k.Text[len(k.Text)-120:])
	}
	if k.Masked != 4 || k.Omitted == 0 {
		t.Errorf("masked %d, omitted %d: %q", k.Masked, k.Omitted, k.Text)
	}
}
