"""Flask extension objects, bound to the app in create_app."""
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

bootstrap = Bootstrap5()
csrf = CSRFProtect()
talisman = Talisman()
# remote_addr is the real client: ProxyFix has already applied the trusted hops.
limiter = Limiter(key_func=get_remote_address)
