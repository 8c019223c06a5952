# expect: import of module
# at: 3:8
import os
